package dev.stepper.cache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cache configured with the JSON value codec keeps readable data in Redis: the value at
 * {@code <prefix>:<cacheName>:<key>} is the JSON text, a String key is the key's UTF-8 text, and
 * JSON that any other client stores there reads back as the declared type.
 */
@RedisTest
@Timeout(30)
class RoundTripJsonTest {

  /** A value type as an application would declare it. */
  public record Report(String title, int pages, List<String> tags) {}

  private final ManagerFixture fixture = new ManagerFixture();
  private RawRedis raw;
  private String prefix;
  private URI uri;
  private Cache<String, Report> reports;

  @BeforeEach
  void open(RedisEndpoint redis) {
    raw = fixture.own(new RawRedis(redis.uri()));
    prefix = RedisEndpoint.uniquePrefix("json");
    uri = redis.uriWithPrefix(prefix);
    reports = fixture.separateCache(uri, "reports", jsonConfig());
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void theStoredValueIsTheJsonText() {
    reports.put("r1", new Report("Q3 \"final\"", 12, List.of("finance", "é")));

    byte[] stored = raw.get(prefix + ":reports:r1");

    assertNotNull(stored, "no Redis key " + prefix + ":reports:r1");
    // properties in alphabetical order: the same value always gives the same bytes
    assertEquals("{\"pages\":12,\"tags\":[\"finance\",\"é\"],\"title\":\"Q3 \\\"final\\\"\"}",
        new String(stored, StandardCharsets.UTF_8));
  }

  @Test
  void aStringKeyIsItsUtf8TextInTheRedisKey() {
    String key = "café/ключ 1";
    reports.put(key, new Report("t", 1, List.of()));

    assertEquals(List.of(prefix + ":reports:" + key), raw.keys(prefix + ":*"));
    assertNotNull(raw.get(prefix + ":reports:" + key));
  }

  @Test
  void jsonStoredByAnotherClientReadsBackAsTheDeclaredType() {
    raw.set(prefix + ":reports:external", RawRedis.utf8(
        "{\"pages\":3,\"title\":\"from elsewhere\",\"tags\":[\"x\"],\"addedLater\":true}"));

    assertEquals(new Report("from elsewhere", 3, List.of("x")), reports.get("external"));
  }

  @Test
  void anotherManagerReadsTheSameJsonBack() {
    Cache<String, Report> reportsB = fixture.separateCache(uri, "reports", jsonConfig());
    var report = new Report("shared", 7, List.of("a", "b"));

    reports.put("r", report);

    assertEquals(report, reportsB.get("r"));
    assertTrue(reportsB.replace("r", report, new Report("shared", 8, List.of("a", "b"))));
    assertEquals(8, reports.get("r").pages());
  }

  /** A value with dates and a record of its own, as application DTOs have. */
  public record Order(String id, Instant placedAt, Line line) {
    /** Nested in the value. */
    public record Line(String sku, java.time.LocalDate due) {}
  }

  @Test
  void datesAreIsoTextAndNestedRecordsReadBack() {
    var config = new StepperConfiguration<String, Order>().setValueCodec(Codecs.json());
    config.setTypes(String.class, Order.class);
    Cache<String, Order> orders = fixture.separateCache(uri, "orders", config);
    var order = new Order("o1", Instant.parse("2026-12-07T10:15:30.5Z"),
        new Order.Line("sku-1", java.time.LocalDate.parse("2026-12-24")));

    orders.put("o1", order);

    assertEquals("{\"id\":\"o1\",\"line\":{\"due\":\"2026-12-24\",\"sku\":\"sku-1\"},"
        + "\"placedAt\":\"2026-12-07T10:15:30.500Z\"}",
        new String(raw.get(prefix + ":orders:o1"), StandardCharsets.UTF_8));
    assertEquals(order, orders.get("o1"));
  }

  private static StepperConfiguration<String, Report> jsonConfig() {
    var config = new StepperConfiguration<String, Report>().setValueCodec(Codecs.json());
    config.setTypes(String.class, Report.class);
    return config;
  }
}

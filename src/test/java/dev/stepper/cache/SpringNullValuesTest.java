package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NullValue;

/**
 * Spring's marker of a cached {@code null} is stored by any cache, whatever its value type and
 * codec, as a few fixed bytes, and read back as Spring's one instance, in this JVM and in another
 * manager; a SimpleKey given to a cache typed for other keys is refused with what to write.
 */
@RedisTest
@Timeout(30)
class SpringNullValuesTest {

  /** A value type Spring's null would not otherwise fit. */
  public record Price(String currency, long cents) {}

  private final ManagerFixture fixture = new ManagerFixture();
  private RawRedis raw;
  private String prefix;
  private URI uri;

  @BeforeEach
  void open(RedisEndpoint redis) {
    raw = fixture.own(new RawRedis(redis.uri()));
    prefix = RedisEndpoint.uniquePrefix("spring-null");
    uri = redis.uriWithPrefix(prefix);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aTypedJsonCacheStoresSpringsNullAndReadsItBackInAnotherManager() {
    var config = new StepperConfiguration<String, Price>().setValueCodec(Codecs.json());
    config.setTypes(String.class, Price.class);
    Cache prices = fixture.separateCache(uri, "prices", config);
    Cache<String, Price> elsewhere = fixture.separateCache(uri, "prices", config);

    prices.put("sku-1", NullValue.INSTANCE);

    assertArrayEquals("\0spring:NullValue".getBytes(StandardCharsets.UTF_8),
        raw.get(prefix + ":prices:sku-1"));
    assertSame(NullValue.INSTANCE, prices.get("sku-1"));
    assertSame(NullValue.INSTANCE, (Object) elsewhere.get("sku-1"), "read by another manager");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void anUntypedCacheStoresSpringsNullAndSimpleKeys() {
    Cache cache = fixture.manager(uri).createCache("any", new MutableConfiguration<>());
    var key = new SimpleKey("sku-1", "EUR");

    cache.put(key, NullValue.INSTANCE);

    assertSame(NullValue.INSTANCE, cache.get(new SimpleKey("sku-1", "EUR")));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aSimpleKeyForACacheOfOtherKeysIsRefusedSayingWhatToWrite() {
    Cache cache = fixture.manager(uri).createCache("typed",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));

    var e = assertThrows(ClassCastException.class, () -> cache.get(new SimpleKey("a", "b")));

    assertTrue(e.getMessage().contains("holds keys of type java.lang.String, not "
        + SimpleKey.class.getName()) && e.getMessage().contains("make a SimpleKey")
        && e.getMessage().contains("keyGenerator"), e.getMessage());
  }
}

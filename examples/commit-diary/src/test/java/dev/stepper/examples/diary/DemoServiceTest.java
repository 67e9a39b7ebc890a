package dev.stepper.examples.diary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo service over real HTTP, on the demo's own configuration file and a real Redis, with a
 * fresh window of {@value #FRESH_SECONDS} s so that a report goes stale within the test.
 */
@RedisTest
class DemoServiceTest {

  private static final int FRESH_SECONDS = 3;
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PROPERTIES = List.of(DemoSettings.REDIS, DemoSettings.PREFIX,
      DemoSettings.FRESH, DemoSettings.LATENCY_MILLIS);

  private final HttpClient http = HttpClient.newHttpClient();
  private String prefix;
  private CacheManager manager;
  private DiaryServer server;
  private Commit head;

  @BeforeEach
  void start(RedisEndpoint redis) throws Exception {
    prefix = RedisEndpoint.uniquePrefix("demo");
    System.setProperty(DemoSettings.REDIS, redis.uri().toString());
    System.setProperty(DemoSettings.PREFIX, prefix);
    System.setProperty(DemoSettings.FRESH, FRESH_SECONDS + "s");
    System.setProperty(DemoSettings.LATENCY_MILLIS, "100");
    manager = Caching.getCachingProvider().getCacheManager(URI.create(DemoSettings.config()),
        getClass().getClassLoader());
    server = DiaryServer.start(manager, 0);
    GitCommits git = DemoSettings.repository();
    head = git.show(git.head());
  }

  @AfterEach
  void stop() {
    try {
      if (server != null) {
        server.close();
      }
      if (manager != null) {
        manager.destroyCache("report");
        manager.close();
      }
    } finally {
      PROPERTIES.forEach(System::clearProperty);
    }
  }

  @Test
  void aMissIsAPlaceholderThenAFreshReportThenStaleThenRefreshed() {
    HttpResponse<String> miss = get("/diary/alice/" + head.shortSha());
    assertEquals(202, miss.statusCode(), miss::body);
    assertEquals("dehydrated", json(miss).path("state").asText());
    assertTrue(json(miss).path("jobId").asText().length() > 0, miss::body);
    assertTrue(json(miss).path("progress").has("percent"), miss::body);
    assertTrue(retryAfter(miss) >= 1, "Retry-After of " + miss.headers().map());

    HttpResponse<String> report = Await.success(PATIENCE, () ->
        withStatus(200, get("/diary/alice/" + head.shortSha())));
    JsonNode first = json(report);
    assertEquals("fresh", header(report, "X-Cache"));
    long age = Long.parseLong(header(report, "Age"));
    assertTrue(age >= 0 && age < FRESH_SECONDS, "Age: " + age);
    assertTrue(first.path("content").asText().contains(head.subject()), report::body);
    JsonNode providers = first.path("providers");
    assertEquals(2, providers.size(), report::body);
    assertEquals("flaky", providers.get(0).path("provider").asText());
    assertEquals("ERROR", providers.get(0).path("outcome").asText());
    assertTrue(providers.get(0).path("message").asText().contains("model overloaded"),
        report::body);
    assertEquals("local", providers.get(1).path("provider").asText());
    assertEquals("OK", providers.get(1).path("outcome").asText());
    assertTrue(stored("alice:" + head.shortSha()).contains("\"state\":\"hydrated\""),
        "the annotated method stores under <prefix>:report:<user>:<sha>");

    String generatedAt = first.path("generatedAt").asText();
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> stale = Await.success(PATIENCE, () -> {
      HttpResponse<String> r = get("/diary/alice/" + head.shortSha());
      statuses.add(r.statusCode());
      assertEquals("stale", header(r, "X-Cache"));
      return r;
    });
    assertEquals(generatedAt, json(stale).path("generatedAt").asText(), "the stale report is served");
    assertTrue(Long.parseLong(header(stale, "Age")) >= FRESH_SECONDS, stale.headers()::toString);

    HttpResponse<String> refreshed = Await.success(PATIENCE, () -> {
      HttpResponse<String> r = get("/diary/alice/" + head.shortSha());
      statuses.add(r.statusCode());
      assertNotEquals(generatedAt, json(r).path("generatedAt").asText());
      return r;
    });
    assertEquals(Set.of(200), Set.copyOf(statuses),
        "the report is served, stale, until the new one is there; never a placeholder");
    assertEquals("fresh", header(refreshed, "X-Cache"));
    assertTrue(Instant.parse(json(refreshed).path("generatedAt").asText())
        .isAfter(Instant.parse(generatedAt)), refreshed::body);
  }

  @Test
  void anUnknownCommitFailsWithRetryAfter() {
    assertEquals(202, get("/diary/alice/0000000").statusCode());

    HttpResponse<String> failed = Await.success(PATIENCE, () ->
        withStatus(503, get("/diary/alice/0000000")));
    long retryAfter = retryAfter(failed);
    assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After: " + retryAfter
        + " (backoff: initial 10s)");
    JsonNode body = json(failed);
    assertEquals("failed", body.path("state").asText());
    assertEquals(1, body.path("attempts").asInt());
    assertTrue(body.path("error").asText().contains("No commit 0000000"), failed::body);
    assertEquals("local", body.path("providers").get(1).path("provider").asText(), failed::body);
    assertEquals("ERROR", body.path("providers").get(1).path("outcome").asText(), failed::body);
  }

  @Test
  void badKeysAre400AndOtherPaths404() {
    HttpResponse<String> badUser = get("/diary/alice!bob/" + head.shortSha());
    assertEquals(400, badUser.statusCode());
    assertTrue(json(badUser).path("error").asText().contains("user 'alice!bob' is not valid"),
        badUser::body);
    assertEquals(400, get("/diary/alice/not-a-sha").statusCode());
    assertEquals(404, get("/diary/alice").statusCode());
    assertEquals(404, get("/reports/alice/" + head.shortSha()).statusCode());
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(server.address().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> withStatus(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response::body);
    return response;
  }

  private String stored(String key) {
    try (StatefulRedisConnection<String, String> redis =
        server.reports().getRedisClient(RedisClient.class).connect()) {
      return String.valueOf(redis.sync().get(prefix + ":report:" + key));
    }
  }

  private static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name)
        .orElseThrow(() -> new AssertionError("no " + name + " in " + response.headers().map()));
  }

  private static long retryAfter(HttpResponse<String> response) {
    return Long.parseLong(header(response, "Retry-After"));
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}

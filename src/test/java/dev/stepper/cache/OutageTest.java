package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.redis.RedisUnavailableException;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisServerProcess;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Proves that an unreachable or unresponsive Redis makes cache calls fail fast, with a
 * {@link CacheException} that says which server is at fault, instead of hanging the caller; and
 * that the caches work again on their own once Redis is back. Each test owns its redis-server, so
 * killing it disturbs nobody.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
class OutageTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /** Generous for a path that must take about {@link #TIMEOUT}: it only catches a hang. */
  private static final Duration FAILURE_BOUND = Duration.ofSeconds(3);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

  private static final String NEEDS_SERVER =
      "redis-server is not on PATH: outage tests need a server of their own to kill";

  private final ManagerFixture fixture = new ManagerFixture();

  @BeforeEach
  void needsRedisServer() {
    assumeTrue(RedisServerProcess.isAvailable(), NEEDS_SERVER);
  }

  @AfterEach
  void cleanUp() {
    fixture.close();
  }

  @Test
  void stoppedRedisFailsCallsFastNamingTheServerAndTheCacheRecoversWhenItReturns() {
    RedisServerProcess server = fixture.own(PrivateRedis.start(NEEDS_SERVER)).server();
    String address = server.host() + ":" + server.port();
    Cache<String, String> cache = cache(server, "outage");
    cache.put("before", "outage");

    server.stop();

    CacheException getFailure = failsWithin(FAILURE_BOUND, () -> cache.get("before"));
    assertTrue(getFailure.getMessage().contains(address), getFailure.getMessage());
    CacheException putFailure = failsWithin(FAILURE_BOUND, () -> cache.put("during", "outage"));
    assertTrue(putFailure.getMessage().contains(address), putFailure.getMessage());

    server.restart();

    Await.success(RECOVERY_BOUND, () -> {
      cache.put("after", "outage");
      return null;
    });
    assertEquals("outage", cache.get("after"));
    // The restarted server came back empty; nothing was replayed from the outage either.
    assertNull(cache.get("before"));
    assertNull(cache.get("during"));
  }

  @Test
  void hungRedisFailsCallsWithATimeoutInsteadOfHanging() {
    PrivateRedis redis = fixture.own(PrivateRedis.start(NEEDS_SERVER));
    RedisServerProcess server = redis.server();
    Cache<String, String> cache = cache(server, "hung");
    cache.put("k", "v");
    // DEBUG SLEEP is disabled by default since Redis 7; CLIENT PAUSE freezes every client alike.
    redis.raw().commands().clientPause(2_000);

    CacheException e = failsWithin(FAILURE_BOUND, () -> cache.get("k"));

    assertTrue(e.getMessage().contains("no answer from Redis at " + server.host() + ":"
        + server.port() + " within " + TIMEOUT.toMillis() + " ms"), e.getMessage());
    // A read changes nothing, so its message does not raise the question.
    assertFalse(e.getMessage().contains("applied"), e.getMessage());
    // Redis may still run a write it already received, so the caller must not assume either way.
    CacheException putFailure = failsWithin(FAILURE_BOUND, () -> cache.put("late", "v"));
    assertTrue(putFailure.getMessage().contains("may or may not have been applied"),
        putFailure.getMessage());
    Await.success(RECOVERY_BOUND, () -> {
      assertEquals("v", cache.get("k"));
      return null;
    });
  }

  @Test
  void closedPortFailsOnFirstUseNamingTheAddress() {
    int port = PrivateRedis.unusedPort();
    Cache<String, String> cache = cache(URI.create("redis://127.0.0.1:" + port + "?timeout="
        + TIMEOUT.toMillis() + "ms"), "unreachable");

    CacheException e = failsWithin(FAILURE_BOUND, () -> cache.get("k"));

    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void managerFirstUsedDuringAnOutageConnectsOnceRedisIsUp() {
    int port = PrivateRedis.unusedPort();
    Cache<String, String> cache = cache(URI.create("redis://127.0.0.1:" + port + "?timeout="
        + TIMEOUT.toMillis() + "ms&prefix=" + RedisEndpoint.uniquePrefix("late")), "late");
    failsWithin(FAILURE_BOUND, () -> cache.get("k"));

    // A failed first connection must not be remembered: the next call tries again.
    fixture.own(RedisServerProcess.start(port));

    Await.success(RECOVERY_BOUND, () -> {
      cache.put("k", "v");
      return null;
    });
    assertEquals("v", cache.get("k"));
  }

  @Test
  void serverThatAcceptsButNeverAnswersFailsOnFirstUseWithinTheTimeout() throws IOException {
    // The kernel completes the TCP handshake from the backlog, so only Redis' own handshake stalls.
    ServerSocket silent = fixture.own(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
    Cache<String, String> cache = cache(URI.create("redis://127.0.0.1:" + silent.getLocalPort()
        + "?timeout=" + TIMEOUT.toMillis() + "ms"), "silent");

    CacheException e = failsWithin(FAILURE_BOUND, () -> cache.get("k"));

    assertTrue(e.getMessage().contains("127.0.0.1:" + silent.getLocalPort()), e.getMessage());
  }

  private Cache<String, String> cache(RedisServerProcess server, String name) {
    return cache(URI.create(server.endpoint().uriWithUniquePrefix(name) + "&timeout="
        + TIMEOUT.toMillis() + "ms"), name);
  }

  private Cache<String, String> cache(URI uri, String name) {
    return fixture.managerOnPrivateServer(uri).createCache(name, StringCaches.config());
  }

  private static CacheException failsWithin(Duration bound, Executable call) {
    long start = System.nanoTime();
    // the outage's own type, so that applications (and FallBackToMethod) can tell it apart
    CacheException e = assertThrows(RedisUnavailableException.class, call);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(bound) < 0, "failed only after " + took.toMillis() + " ms: "
        + e.getMessage());
    return e;
  }
}

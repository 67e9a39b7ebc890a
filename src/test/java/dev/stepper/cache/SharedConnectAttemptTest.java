package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.StringCaches;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that callers arriving together at a manager whose Redis is down share one connect
 * attempt: sixteen concurrent {@code get}s all fail within about one timeout, not one timeout
 * after another. Needs no Redis: a socket that accepts and never answers stands in for a hung
 * server, a closed port for a stopped one.
 */
@Timeout(60)
class SharedConnectAttemptTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final int THREADS = 16;
  /** About one timeout plus slack; taking turns would need 16 timeouts (8 s). */
  private static final Duration ALL_FAILED_BOUND = Duration.ofSeconds(3);

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void concurrentCallersOfAServerThatNeverAnswersShareOneConnectAttempt() throws Exception {
    // The kernel completes the TCP handshake from the backlog, so only Redis' own handshake,
    // bounded by the timeout, stalls.
    ServerSocket silent = fixture.own(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));

    allFailTogether(cache(silent.getLocalPort(), "silent"));
  }

  @Test
  void concurrentCallersOfAClosedPortAllFailPromptly() throws Exception {
    allFailTogether(cache(PrivateRedis.unusedPort(), "refused"));
  }

  private void allFailTogether(Cache<String, String> cache) throws Exception {
    Race race = fixture.own(new Race(THREADS, Duration.ofSeconds(30)));

    long start = System.nanoTime();
    List<String> outcomes = race.run(thread -> {
      try {
        return "returned " + cache.get("k");
      } catch (CacheException e) {
        return "failed";
      }
    });
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(Collections.nCopies(THREADS, "failed"), outcomes);
    assertTrue(took.compareTo(ALL_FAILED_BOUND) < 0,
        THREADS + " calls took " + took.toMillis() + " ms to fail");
  }

  private Cache<String, String> cache(int port, String name) {
    URI uri = URI.create("redis://127.0.0.1:" + port + "?timeout=" + TIMEOUT.toMillis() + "ms");
    return fixture.managerOnPrivateServer(uri).createCache(name, StringCaches.config());
  }
}

package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that an unreachable Redis costs a few connection attempts a second, not one per call:
 * eight threads calling as fast as they can meet failures at once, each saying why the last
 * attempt failed, while the connection is retried at spaced intervals shared by all of them; and
 * that the caches work again soon after Redis is back.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class ReconnectBackoffTest {

  @RegisterExtension
  static final PrivateRedis REDIS = new PrivateRedis(
      "redis-server is not on PATH: this test kills a server of its own");

  private static final int THREADS = 8;
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /**
   * A call slower than this waited for a connection attempt; well above scheduling hiccups on a
   * busy machine (2 cores, 8 threads), well below the timeout an attempt may take.
   */
  private static final Duration SLOW = TIMEOUT.dividedBy(2);
  private static final Duration RUN = Duration.ofSeconds(3);
  /** Attempts at most every 500 ms after the first few quick ones: about 9 in 3 s; slack on top. */
  private static final int MOST_ATTEMPTS = 15;

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aPortThatDropsEveryConnectionSeesSpacedAttemptsAndEveryCallFailsAtOnce() throws Exception {
    DroppingServer server = fixture.own(new DroppingServer());
    Cache<String, String> cache = fixture.managerOnPrivateServer(URI.create("redis://127.0.0.1:"
        + server.port() + "?timeout=" + TIMEOUT.toMillis() + "ms"))
        .createCache("dropped", StringCaches.config());

    Outcome outcome = hammer(cache, RUN);

    String summary = outcome + ", " + server.accepted() + " connections accepted";
    System.out.println("Dropping port, " + RUN.toSeconds() + " s of " + THREADS + " threads: "
        + summary);
    assertEquals(0, outcome.successes.get(), summary);
    assertTrue(server.accepted() <= MOST_ATTEMPTS, "a connection storm: " + summary);
    assertTrue(server.accepted() >= 3, "the connection was not retried: " + summary);
    // Calls between attempts fail at once; only those that arrive during one wait for it.
    assertTrue(outcome.slowFailures.get() <= server.accepted() * THREADS, summary);
    assertTrue(outcome.messages.stream().anyMatch(m -> m.contains("last attempt:")),
        "no message said why the last attempt failed: " + outcome.messages);
    assertFalse(outcome.messages.stream().anyMatch(m -> m.endsWith(": null")),
        outcome.messages.toString());
  }

  @Test
  void aKilledServerFailsCallsAtOnceAndTheCachesWorkSoonAfterItIsBack() throws Exception {
    Cache<String, String> cache = fixture.managerOnPrivateServer(URI.create(
        REDIS.endpoint().uriWithUniquePrefix("killed") + "&timeout=" + TIMEOUT.toMillis()
            + "ms")).createCache("killed", StringCaches.config());
    cache.put("k", "v");
    REDIS.server().stop();

    Outcome down = hammer(cache, Duration.ofSeconds(2));

    REDIS.server().restart();
    long back = System.nanoTime();
    Outcome recovering = hammerUntilSuccess(cache);
    Duration recovery = Duration.ofNanos(recovering.firstSuccessNanos.get() - back);
    String summary = "down: " + down + "; recovered after " + recovery.toMillis() + " ms";
    System.out.println("Killed server, " + THREADS + " threads: " + summary);
    assertEquals(0, down.successes.get(), summary);
    assertTrue(down.slowFailures.get() <= THREADS * 5, "calls waited for attempts: " + summary);
    assertTrue(recovery.compareTo(Duration.ofSeconds(2)) < 0, summary);
  }

  private Outcome hammer(Cache<String, String> cache, Duration run) throws Exception {
    var outcome = new Outcome();
    long deadline = System.nanoTime() + run.toNanos();
    try (Race race = new Race(THREADS, run.plusSeconds(20))) {
      race.run(thread -> {
        while (System.nanoTime() < deadline) {
          call(cache, outcome);
        }
        return null;
      });
    }
    return outcome;
  }

  private Outcome hammerUntilSuccess(Cache<String, String> cache) throws Exception {
    var outcome = new Outcome();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Race race = new Race(THREADS, Duration.ofSeconds(30))) {
      race.run(thread -> {
        while (outcome.successes.get() == 0 && System.nanoTime() < deadline) {
          call(cache, outcome);
        }
        return null;
      });
    }
    return outcome;
  }

  private static void call(Cache<String, String> cache, Outcome outcome) {
    long start = System.nanoTime();
    try {
      cache.put("k", "v");
      outcome.successes.incrementAndGet();
      outcome.firstSuccessNanos.compareAndSet(0, System.nanoTime());
    } catch (CacheException e) {
      outcome.failures.incrementAndGet();
      if (System.nanoTime() - start > SLOW.toNanos()) {
        outcome.slowFailures.incrementAndGet();
      }
      if (outcome.messages.size() < 20) {
        outcome.messages.add(e.getMessage());
      }
    }
  }

  /** What the threads met. */
  private static final class Outcome {
    final AtomicInteger successes = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger slowFailures = new AtomicInteger();
    final AtomicLong firstSuccessNanos = new AtomicLong();
    final Set<String> messages = ConcurrentHashMap.newKeySet();

    @Override
    public String toString() {
      return successes + " successes, " + failures + " failures (" + slowFailures
          + " slower than " + SLOW.toMillis() + " ms)";
    }
  }

  /** Accepts every connection and closes it at once, counting them. */
  private static final class DroppingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread thread;

    DroppingServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket client = socket.accept()) {
            accepted.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      }, "dropping-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

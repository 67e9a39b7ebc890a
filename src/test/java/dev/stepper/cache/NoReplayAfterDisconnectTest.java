package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import io.lettuce.core.KillArgs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that a dropped connection never makes a write apply twice: the command connection does
 * not reconnect behind the caller's back, so Lettuce cannot re-send a command Redis already ran
 * but whose reply the kill swallowed. While the server kills every client connection every few
 * tens of milliseconds, an in-flight call may fail (and may or may not have applied), but a call
 * that succeeds applied exactly once, and a call that fails does so promptly.
 *
 * <p>The replay this guards against is Lettuce 6.x's: with auto-reconnect it re-sends the
 * commands in flight when the connection dropped (run with {@code -Dlettuce.version=6.6.0.RELEASE}
 * to see these tests catch it). Lettuce 7.x cancels them under {@code REJECT_COMMANDS} even when
 * it reconnects by itself, so there the tests guard the outcome rather than reproduce the bug.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class NoReplayAfterDisconnectTest {

  @RegisterExtension
  static final PrivateRedis REDIS = new PrivateRedis(
      "redis-server is not on PATH: these tests kill every client connection of a server");

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** A failed call must not wait for anything beyond its own timeout and a reconnect. */
  private static final Duration FAILURE_BOUND = Duration.ofSeconds(5);
  private static final int THREADS = 4;
  private static final int MAX_CALLS_PER_THREAD = 20_000;
  /** Long enough for about a hundred kills, each meeting commands in flight. */
  private static final Duration RUN = Duration.ofSeconds(3);

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void incrementsRacingConnectionKillsNeverApplyTwiceAndFailPromptly() throws Exception {
    var config = new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
    Cache<String, Integer> cache = fixture.managerOnPrivateServer(uri("increments"))
        .createCache("counter", config);
    var successes = new AtomicInteger();
    var failures = new AtomicInteger();
    // The count each successful call committed, and the one each failed call last tried to.
    Set<Integer> returned = ConcurrentHashMap.newKeySet();
    Set<Integer> triedByFailures = ConcurrentHashMap.newKeySet();
    var slowestFailureNanos = new AtomicLong();
    var firstFailure = new AtomicReference<String>();
    Killer killer = fixture.own(new Killer());
    Race race = fixture.own(new Race(THREADS, Duration.ofSeconds(40)));

    long deadline = System.nanoTime() + RUN.toNanos();
    race.run(thread -> {
      for (int i = 0; i < MAX_CALLS_PER_THREAD && System.nanoTime() < deadline; i++) {
        var increment = new Increment();
        long start = System.nanoTime();
        try {
          returned.add(cache.invoke("counter", increment));
          successes.incrementAndGet();
        } catch (CacheException e) {
          failures.incrementAndGet();
          slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
          firstFailure.compareAndSet(null, e.getMessage());
          if (increment.lastTried > 0) {
            triedByFailures.add(increment.lastTried);
          }
        }
      }
      return null;
    });
    killer.close();

    // After the kills the next call may still meet a dying connection; it works soon after.
    Integer counter = Await.success(Duration.ofSeconds(10), () -> cache.get("counter"));
    int stored = counter == null ? 0 : counter;
    String summary = successes + " successes, " + failures + " failures, " + killer.kills()
        + " kills, stored " + stored;
    // Something must have been cut off in flight, or this test proved nothing.
    assertTrue(killer.kills() >= 10 && failures.get() > 0, summary);
    // Every success applied; a failure may or may not have; nothing applied twice.
    assertTrue(stored >= successes.get(), "a successful increment was lost: " + summary);
    assertTrue(stored <= successes.get() + failures.get(),
        "some increment applied twice: " + summary);
    // Sharper, as failures leave much slack above: each count was committed by the last attempt
    // of one call, since an attempt that commits ends its call. A count no call returned and no
    // failed call last tried was committed by an attempt that was then run again: applied twice.
    assertEquals(successes.get(), returned.size(), "two successes returned one count: " + summary);
    List<Integer> unaccounted = IntStream.rangeClosed(1, stored)
        .filter(count -> !returned.contains(count) && !triedByFailures.contains(count))
        .boxed().toList();
    assertEquals(List.of(), unaccounted,
        "counts committed by an attempt that was run again: " + summary);
    assertTrue(slowestFailureNanos.get() < FAILURE_BOUND.toNanos(), "a failure took "
        + Duration.ofNanos(slowestFailureNanos.get()).toMillis() + " ms: " + summary
        + "; first failure: " + firstFailure.get());
  }

  @Test
  void putIfAbsentOfFreshKeysRacingConnectionKillsNeverReportsThemPresent() throws Exception {
    // Sharper than counting: each key is written once, by one call, so "already present" can
    // only mean that the same conditional write reached Redis twice (the first one's reply lost).
    Cache<String, String> cache = fixture.managerOnPrivateServer(uri("absent"))
        .createCache("fresh", StringCaches.config());
    var created = new AtomicInteger();
    var failures = new AtomicInteger();
    Queue<String> reportedPresent = new ConcurrentLinkedQueue<>();
    var slowestFailureNanos = new AtomicLong();
    Killer killer = fixture.own(new Killer());
    Race race = fixture.own(new Race(THREADS, Duration.ofSeconds(40)));

    long deadline = System.nanoTime() + RUN.toNanos();
    race.run(thread -> {
      for (int i = 0; i < MAX_CALLS_PER_THREAD && System.nanoTime() < deadline; i++) {
        String key = "t" + thread + "-" + i;
        long start = System.nanoTime();
        try {
          if (cache.putIfAbsent(key, "v")) {
            created.incrementAndGet();
          } else {
            reportedPresent.add(key);
          }
        } catch (CacheException e) {
          failures.incrementAndGet();
          slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
      }
      return null;
    });
    killer.close();

    String summary = created + " created, " + failures + " failures, " + killer.kills()
        + " kills";
    assertTrue(killer.kills() >= 10 && failures.get() > 0, summary);
    assertEquals(List.of(), List.copyOf(reportedPresent),
        "fresh keys reported present, so their putIfAbsent ran twice: " + summary);
    assertTrue(slowestFailureNanos.get() < FAILURE_BOUND.toNanos(), "a failure took "
        + Duration.ofNanos(slowestFailureNanos.get()).toMillis() + " ms: " + summary);
  }

  private static URI uri(String name) {
    return URI.create(REDIS.endpoint().uriWithUniquePrefix(name) + "&timeout="
        + TIMEOUT.toMillis() + "ms");
  }

  /** Adds one, starting from zero; one per call, remembering what its last run tried. */
  static final class Increment implements EntryProcessor<String, Integer, Integer> {
    volatile int lastTried;

    @Override
    public Integer process(MutableEntry<String, Integer> entry, Object... arguments) {
      int next = entry.exists() ? entry.getValue() + 1 : 1;
      entry.setValue(next);
      lastTried = next;
      return next;
    }
  }

  /**
   * Kills every normal client connection but its own, every 20 to 50 ms, as a flaky network or
   * a failover would; the caches' command connection dies with commands in flight.
   */
  private static final class Killer implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger kills = new AtomicInteger();
    private volatile boolean stopped;

    Killer() {
      RawRedis raw = REDIS.raw();
      thread = new Thread(() -> {
        while (!stopped) {
          try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 51));
            raw.commands().clientKill(KillArgs.Builder.typeNormal().skipme());
            kills.incrementAndGet();
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "review-client-killer");
      thread.setDaemon(true);
      thread.start();
    }

    int kills() {
      return kills.get();
    }

    @Override
    public void close() {
      stopped = true;
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

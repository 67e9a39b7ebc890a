package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisSentinel;
import dev.stepper.cache.testing.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that a manager on a {@code redis-sentinel://} URI works on the master the Sentinels name
 * and follows it through a failover, whether the Sentinels are told to fail over or the master is
 * killed: under load from 8 threads no call hangs, every failure is a {@link CacheException}, every
 * thread succeeds again within 10 s of the new master's election, writes then land on the new
 * master, and closing the manager leaves no thread of the provider or of Lettuce behind. The
 * recovery times are printed for the record.
 */
@Timeout(60)
class SentinelTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /** The timeout plus the connector's 1 s grace and some slack: only catches a hang. */
  private static final Duration CALL_BOUND = TIMEOUT.plusSeconds(2);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
  /** Sentinels notice a dead master after 1 s, then agree and promote the replica. */
  private static final Duration ELECTION_BOUND = Duration.ofSeconds(15);
  private static final int THREADS = 8;
  private static final Pattern PROVIDER_THREAD = Pattern.compile("(?i)lettuce|stepper-cache");
  private static final String NEEDS_SERVER =
      "redis-server is not on PATH: these tests start a master, a replica and three Sentinels";

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void cleanUp() {
    fixture.close();
  }

  @Test
  void cacheWorksOnTheMasterTheSentinelsName() {
    // Nothing here disturbs the deployment, so an environment's Sentinels will do.
    URI sentinels = RedisSentinel.fromEnvironment().orElseGet(() -> {
      assumeTrue(RedisSentinel.isAvailable(), NEEDS_SERVER);
      return fixture.own(RedisSentinel.start()).uri();
    });
    Cache<String, String> cache = fixture.manager(withParameters(sentinels, "basic"))
        .createCache("basic", StringCaches.config());

    cache.put("a", "1");
    cache.putAll(Map.of("b", "2", "c", "3"));
    assertEquals("1", cache.get("a"));
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), cache.getAll(Set.of("a", "b", "c", "d")));
    Map<String, String> iterated = new HashMap<>();
    cache.forEach(entry -> iterated.put(entry.getKey(), entry.getValue()));
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), iterated);
    cache.invoke("a", StringCaches::appendBang);
    assertEquals("1!", cache.get("a"));
    assertTrue(cache.remove("b"));
    assertNull(cache.get("b"));
    assertFalse(cache.containsKey("b"));
  }

  @Test
  void sentinelFailoverUnderLoadFailsNoCallSlowlyAndRecovers() throws Exception {
    survivesLosingTheMaster("failover", RedisSentinel::failover, false);
  }

  @Test
  void killedMasterUnderLoadFailsCallsFastAndRecoversOnThePromotedReplica() throws Exception {
    // SIGKILL: the master vanishes without a word, as in a crash.
    survivesLosingTheMaster("kill", sentinel -> sentinel.master().stop(), true);
  }

  private void survivesLosingTheMaster(String name, Trigger trigger, boolean failuresExpected)
      throws Exception {
    assumeTrue(RedisSentinel.isAvailable(), NEEDS_SERVER);
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    RedisSentinel sentinel = fixture.own(RedisSentinel.start());
    CacheManager manager = fixture.managerOnPrivateServer(withParameters(sentinel.uri(), name));
    Cache<String, String> cache = manager.createCache(name, StringCaches.config());
    // Connected before the load starts: the bound on calls is about failovers, not a cold start.
    cache.put("warm", "up");
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      workers.add(new Worker(cache, name + "-load-" + i));
    }
    workers.forEach(Worker::start);
    Await.until(RECOVERY_BOUND, "every thread to succeed once",
        () -> workers.stream().allMatch(w -> w.firstSuccessSince(0) > 0));

    int oldMaster = sentinel.masterPort();
    long triggered = System.nanoTime();
    trigger.apply(sentinel);
    RedisSentinel.Election election = sentinel.awaitNewMaster(oldMaster, ELECTION_BOUND);
    long elected = election.namedAtNanos();

    Await.until(RECOVERY_BOUND.plusSeconds(1), "every thread to succeed after the election",
        () -> workers.stream().allMatch(w -> w.firstSuccessSince(elected) > 0));
    // A thread that never noticed the failover may still be writing to the old master.
    RedisServerProcess newMaster = election.master();
    long onNewMaster;
    try (RawRedis raw = new RawRedis(newMaster.uri())) {
      onNewMaster = Await.success(RECOVERY_BOUND, () -> {
        String probe = "probe-" + System.nanoTime();
        cache.put(probe, "v");
        assertFalse(raw.keys("*:" + name + ":*" + probe + "*").isEmpty(),
            probe + " is not on the new master " + newMaster);
        return System.nanoTime();
      });
    }
    for (Worker worker : workers) {
      worker.halt();
    }

    List<Long> recoveries = new ArrayList<>();
    for (Worker worker : workers) {
      assertEquals(List.of(), worker.unexpected, worker.getName() + " failed otherwise than with"
          + " a CacheException");
      assertTrue(worker.longestCallNanos < CALL_BOUND.toNanos(), worker.getName() + " had a call"
          + " that took " + millis(worker.longestCallNanos) + " ms: " + worker.longestCall);
      long recovery = worker.firstSuccessSince(elected) - elected;
      assertTrue(recovery < RECOVERY_BOUND.toNanos(), worker.getName() + " succeeded only "
          + millis(recovery) + " ms after the election");
      recoveries.add(millis(recovery));
    }
    if (failuresExpected) {
      assertTrue(workers.stream().allMatch(w -> w.failures > 0), "a thread saw no failure while"
          + " there was no master: " + workers.stream().map(w -> w.failures).toList());
    }
    assertTrue(onNewMaster - elected < RECOVERY_BOUND.toNanos(), "writes reached the new master"
        + " only " + millis(onNewMaster - elected) + " ms after the election");
    System.out.printf("SentinelTest %s: election %d ms after the trigger; first success per"
            + " thread %s ms after it (max %d); writes on the new master after %d ms; failures"
            + " per thread %s; longest call %d ms%n",
        name, millis(elected - triggered), recoveries,
        recoveries.stream().mapToLong(Long::longValue).max().orElse(-1),
        millis(onNewMaster - elected), workers.stream().map(w -> w.failures).toList(),
        millis(workers.stream().mapToLong(w -> w.longestCallNanos).max().orElse(0)));

    // Else the check below could pass by not seeing them.
    assertFalse(leftThreads(threadsBefore).isEmpty(), "no Lettuce thread while the manager is open");
    fixture.close();
    // The Lettuce resources are shared by managers, and shut down when the last one closes.
    Await.until(Duration.ofSeconds(3), "no thread of the provider or Lettuce left", () ->
        leftThreads(threadsBefore).isEmpty());
  }

  private static List<String> leftThreads(Set<Thread> before) {
    Set<Thread> now = new HashSet<>(Thread.getAllStackTraces().keySet());
    now.removeAll(before);
    return now.stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> PROVIDER_THREAD.matcher(n).find()).toList();
  }

  private static URI withParameters(URI sentinels, String hint) {
    String uri = sentinels.toString();
    return URI.create(uri + (uri.contains("?") ? "&" : "?") + "prefix="
        + RedisEndpoint.uniquePrefix(hint) + "&timeout=" + TIMEOUT.toMillis() + "ms");
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @FunctionalInterface
  private interface Trigger {
    void apply(RedisSentinel sentinel);
  }

  /** Puts and gets keys of its own in a loop, timing each call and noting when it succeeds. */
  private static final class Worker extends Thread {

    private final Cache<String, String> cache;
    /** When each successful put-and-get started, in order; guarded by this. */
    private long[] successes = new long[1024];
    private int successCount;
    private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    private volatile boolean halted;
    private final long created = System.nanoTime();
    private volatile long longestCallNanos;
    private volatile String longestCall;
    private volatile int failures;

    Worker(Cache<String, String> cache, String name) {
      super(name);
      this.cache = cache;
      setDaemon(true);
    }

    @Override
    public void run() {
      for (long n = 0; !halted; n++) {
        String key = getName() + "-" + n;
        long start = System.nanoTime();
        try {
          timed(() -> {
            cache.put(key, "v");
            return null;
          });
          timed(() -> cache.get(key));
          succeeded(start);
        } catch (CacheException e) {
          failures++;
        } catch (Throwable t) {
          unexpected.add(t);
        }
        pause();
      }
    }

    private <T> T timed(Supplier<T> call) {
      long start = System.nanoTime();
      String outcome = "ok";
      try {
        return call.get();
      } catch (RuntimeException e) {
        outcome = e.toString();
        throw e;
      } finally {
        long took = System.nanoTime() - start;
        if (took > longestCallNanos) {
          longestCall = millis(start - created) + " ms after the load began: " + outcome;
        }
        longestCallNanos = Math.max(longestCallNanos, took);
      }
    }

    private synchronized void succeeded(long start) {
      if (successCount == successes.length) {
        successes = Arrays.copyOf(successes, successCount * 2);
      }
      successes[successCount++] = start;
    }

    /** @return when the first successful put-and-get that started after {@code nanos} did, or 0 */
    synchronized long firstSuccessSince(long nanos) {
      int low = 0;
      int high = successCount;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (successes[mid] - nanos > 0) {
          high = mid;
        } else {
          low = mid + 1;
        }
      }
      return low < successCount ? successes[low] : 0;
    }

    void halt() throws InterruptedException {
      halted = true;
      join(CALL_BOUND.toMillis() * 3);
      assertFalse(isAlive(), getName() + " is stuck in a call");
    }

    private static void pause() {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.management.NearCacheMXBean;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisCluster;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisServerProcess;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A near cache through real faults of a Redis Cluster of the test's own: a master killed with
 * SIGKILL (its copies must not outlive it, since the promoted replica never saw this JVM's reads)
 * and slots moved between masters while another manager writes (a reader never goes back).
 */
@Tag(RedisTest.TAG) // starts a cluster of its own
@Timeout(120)
class NearCacheClusterFaultTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final Duration PROMOTION_BOUND = Duration.ofSeconds(30);
  /**
   * How soon a write must reach the reader: far above what it takes (a few ms, some 100 ms while
   * slots move on a busy machine); a copy that no invalidation evicted would stay until the next
   * topology change.
   */
  private static final Duration LAG_BOUND = Duration.ofSeconds(1);
  private static final int KEYS = 90;

  private final ManagerFixture fixture = new ManagerFixture();
  private RedisCluster cluster;
  private Cache<String, String> near;
  private Cache<String, String> writer;
  private NearCacheMXBean bean;

  @BeforeEach
  void startCluster() {
    assumeTrue(RedisCluster.isAvailable(),
        "redis-server and redis-cli are not on PATH: these tests need a cluster of their own");
    cluster = fixture.own(RedisCluster.start());
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private void open(String name) throws Exception {
    URI uri = URI.create(cluster.endpoint().uri() + "?timeout=" + TIMEOUT.toMillis() + "ms&prefix="
        + RedisEndpoint.uniquePrefix("near-fault"));
    near = fixture.separateManagerOnPrivateServer(uri).createCache(name,
        NearCaches.config(new NearCache(1_000, Duration.ofMinutes(5))));
    writer = fixture.separateManagerOnPrivateServer(uri).createCache(name,
        NearCaches.config(null));
    for (int i = 0; i < KEYS; i++) {
      writer.put("k" + i, "v0");
    }
    bean = NearCaches.bean(name);
    Await.until(SETTLE, "every master to track the cache", bean::isServing);
    for (int i = 0; i < KEYS; i++) {
      assertEquals("v0", near.get("k" + i));
    }
    long hits = bean.getHits();
    for (int i = 0; i < KEYS; i++) {
      assertEquals("v0", near.get("k" + i));
    }
    assertEquals(hits + KEYS, bean.getHits(), "every key held in this JVM before the fault");
  }

  @Test
  void noCopyFromAKilledMasterIsServedOnceItsReplicaTookOver() throws Exception {
    open("kill");
    RedisServerProcess victim = cluster.masters().get(0);
    List<String> onVictim = cluster.cacheKeysOn(victim, "kill");
    assertFalse(onVictim.isEmpty(), "some keys live on the master to kill");
    long drops = bean.getDrops();

    victim.stop();
    cluster.awaitHealthy(PROMOTION_BOUND);
    for (String key : onVictim) {
      Await.until(SETTLE, "a write of " + key + " on the promoted replica", () -> {
        try {
          writer.put(key, "v1");
          return true;
        } catch (CacheException notYet) {
          return false;
        }
      });
    }
    long written = System.nanoTime();
    for (String key : onVictim) {
      Await.until(SETTLE, key + " to show the promoted replica's value, not the killed"
          + " master's", () -> {
            try {
              return "v1".equals(near.get(key));
            } catch (CacheException notYet) {
              return false;
            }
          });
    }
    System.out.printf("Near cache, cluster master SIGKILL: %d keys of the killed master read"
        + " anew %d ms after their writes on the promoted replica%n", onVictim.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written));
    for (String key : onVictim) {
      assertEquals("v1", near.get(key), "no copy from before the kill comes back");
    }
    assertTrue(bean.getDrops() > drops, "the copies were dropped when the master's connection"
        + " dropped");
  }

  @Test
  void movingSlotsWhileAnotherManagerWritesNeverTakesTheReaderBack() throws Exception {
    open("reshard");
    var done = new AtomicBoolean();
    var failure = new AtomicReference<Throwable>();
    var reads = new AtomicLong();
    Thread reader = new Thread(() -> {
      long[] seen = new long[KEYS];
      while (!done.get()) {
        for (int k = 0; k < KEYS; k++) {
          long version = Long.parseLong(near.get("k" + k).substring(1));
          assertTrue(version >= seen[k], "k" + k + " went back from v" + seen[k] + " to v"
              + version);
          seen[k] = version;
          reads.incrementAndGet();
        }
      }
    });
    reader.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
    reader.start();

    int version = 0;
    long worstLag = 0;
    try {
      // first with the topology still, where only invalidations can evict the copies
      while (version < 3) {
        worstLag = Math.max(worstLag, writeAndAwaitTheReader(++version));
      }
      List<RedisServerProcess> masters = cluster.masters();
      CompletableFuture<Void> resharding = CompletableFuture.runAsync(() -> {
        cluster.reshard(masters.get(0), masters.get(1), 1_000);
        cluster.reshard(masters.get(1), masters.get(0), 1_000);
      });
      while (!resharding.isDone()) {
        worstLag = Math.max(worstLag, writeAndAwaitTheReader(++version));
      }
      resharding.get();
    } finally {
      done.set(true);
      reader.join();
    }
    System.out.printf("Near cache, cluster resharding of 2 x 1000 slots: %d versions of %d keys"
        + " written, %d reads by a second thread, none went back; each version reached the"
        + " reader within %d ms of its write%n", version, KEYS, reads.get(),
        TimeUnit.NANOSECONDS.toMillis(worstLag));
    assertNull(failure.get(), () -> "the reader failed: " + failure.get());
    assertTrue(version > 4, "writes ran while the slots moved");
  }

  /** @return how long after the writes of that version every key showed it to the reader */
  private long writeAndAwaitTheReader(int version) {
    for (int k = 0; k < KEYS; k++) {
      writer.put("k" + k, "v" + version);
    }
    long written = System.nanoTime();
    for (int k = 0; k < KEYS; k++) {
      while (Long.parseLong(near.get("k" + k).substring(1)) < version) {
        assertTrue(System.nanoTime() - written < LAG_BOUND.toNanos(),
            "k" + k + " v" + version + " did not reach the reader within " + LAG_BOUND);
        Thread.onSpinWait();
      }
    }
    return System.nanoTime() - written;
  }
}

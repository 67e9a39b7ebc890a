package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.management.NearCacheMXBean;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.FreezableProxy;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A near cache on a real Redis server of the test's own, invalidated by Redis itself: hot reads
 * cost no round trip, and whatever changes the entry in Redis (another manager standing in for
 * another JVM, a plain client's {@code SET}, a flush, an expiry) or breaks the invalidation
 * connection (a killed connection, a restarted server) is never served from the copy afterwards.
 */
@RedisTest
@Timeout(60)
class NearCacheTest {

  @RegisterExtension
  static final PrivateRedis redis = new PrivateRedis("to count commands, kill connections and"
      + " restart the server under a near cache");

  private static final Duration SETTLE = Duration.ofSeconds(10);
  /** The tracking lease (3 s from the last answered heartbeat's sending), and some. */
  private static final Duration LEASE_BOUND = Duration.ofMillis(3_500);

  private final ManagerFixture fixture = new ManagerFixture();
  private String prefix;
  private URI uri;
  private Cache<String, String> near;
  private Cache<String, String> other;

  @BeforeEach
  void open() {
    prefix = RedisEndpoint.uniquePrefix("near");
    uri = redis.endpoint().uriWithPrefix(prefix);
    near = fixture.separateCache(uri, "c",
        NearCaches.config(new NearCache(1_000, Duration.ofMinutes(5))));
    other = fixture.separateCache(uri, "c", NearCaches.config(null));
    other.put("k", "v1");
    awaitServedLocally("k");
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private RawRedis raw() {
    return redis.raw();
  }

  /** Waits until a get of the key costs no command: tracking confirmed and the copy filled. */
  private void awaitServedLocally(String key) {
    awaitServedLocally(near, key);
  }

  private void awaitServedLocally(Cache<String, String> cache, String key) {
    Await.until(SETTLE, "the near cache to serve " + key, () -> {
      cache.get(key);
      raw().resetStats();
      cache.get(key);
      return commandsButHeartbeats().isEmpty();
    });
  }

  /** @return the commands Redis ran since its statistics were reset, but the tracking heartbeats */
  private Map<String, Long> commandsButHeartbeats() {
    Map<String, Long> calls = raw().commandCalls();
    calls.remove("client|tracking");
    return calls;
  }

  @Test
  void hotReadsCostNoRoundTrip() {
    raw().resetStats();
    for (int i = 0; i < 100; i++) {
      assertEquals("v1", near.get("k"));
    }
    assertEquals(Map.of(), commandsButHeartbeats(), "100 gets, no command");
  }

  @Test
  void aPlainClientsSetEvictsTheCopy() {
    raw().set(prefix + ":c:k", RawRedis.utf8("from redis-cli"));

    Await.until(SETTLE, "the copy to be invalidated", () -> "from redis-cli".equals(near.get("k")));
  }

  @Test
  void writesOfThisJvmAreReadBackAtOnce() {
    near.put("k", "v2");
    assertEquals("v2", near.get("k"), "a read after the write returned sees the write");
    near.remove("k");
    assertNull(near.get("k"));
  }

  /**
   * Another manager writes increasing versions while this one reads through its near cache: the
   * reader never sees a version go backwards, and sees each one (or a later) within a bound
   * after its write returned. The worst lag is printed.
   */
  @Test
  void aReaderNeverGoesBackAndCatchesUpWithEveryWrite() throws Exception {
    var done = new AtomicBoolean();
    long[] lags = new long[300];
    Thread reader = new Thread(() -> {
      long seen = 0;
      while (!done.get()) {
        long version = Long.parseLong(near.get("k").substring(1));
        assertTrue(version >= seen, "went back from v" + seen + " to v" + version);
        seen = version;
      }
    });
    other.put("k", "v0");
    awaitServedLocally("k");
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    reader.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
    reader.start();
    for (long version = 1; version <= 300; version++) {
      other.put("k", "v" + version);
      long returned = System.nanoTime();
      while (Long.parseLong(near.get("k").substring(1)) < version) {
        assertTrue(System.nanoTime() - returned < SETTLE.toNanos(),
            "v" + version + " did not reach the reader within " + SETTLE);
        Thread.onSpinWait();
      }
      lags[(int) version - 1] = System.nanoTime() - returned;
    }
    done.set(true);
    reader.join();
    assertNull(failure.get(), () -> "the reader failed: " + failure.get());
    java.util.Arrays.sort(lags);
    System.out.printf("Near cache: lag from a write's return to the reader seeing it, over 300"
        + " writes: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", lags[149] / 1e6, lags[296] / 1e6,
        lags[299] / 1e6);
  }

  @Test
  void aFlushDropsEveryCopy() {
    raw().commands().flushall();

    Await.until(SETTLE, "the flush to reach the near cache", () -> near.get("k") == null);
  }

  @Test
  void aKilledInvalidationConnectionDropsEveryCopyUntilTrackingIsBack() {
    // every client but the test's own: the cache's invalidation connection among them
    raw().commands().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
    raw().set(prefix + ":c:k", RawRedis.utf8("written while the connection was down"));

    Await.until(SETTLE, "the write to be seen",
        () -> "written while the connection was down".equals(near.get("k")));
    awaitServedLocally("k");
    assertEquals("written while the connection was down", near.get("k"));
    awaitBothManagersConnected();
  }

  /** The fixture cleans up through the managers, whose connections a test may have cut. */
  private void awaitBothManagersConnected() {
    for (Cache<String, String> each : List.of(near, other)) {
      Await.until(SETTLE, "the manager to reconnect", () -> {
        try {
          each.containsKey("any");
          return true;
        } catch (RuntimeException reconnecting) {
          return false;
        }
      });
    }
  }

  /**
   * The reader's connection goes silent without dropping (a partition neither end notices): no
   * invalidation can arrive, so its copies stop being served once the last answered heartbeat's
   * lease ends, and its reads fail within the timeout instead of returning what Redis replaced.
   */
  @Test
  void aSilentConnectionStopsTheServingWhenTheLeaseEnds() throws Exception {
    FreezableProxy proxy = fixture.own(new FreezableProxy(redis.endpoint().host(),
        redis.endpoint().port()));
    URI direct = redis.endpoint().uriWithPrefix(prefix);
    URI proxied = new URI(direct.getScheme(), direct.getUserInfo(), "127.0.0.1", proxy.port(),
        direct.getPath(), direct.getQuery() + "&timeout=500ms", null);
    Cache<String, String> behindProxy = fixture.separateCache(proxied, "c",
        NearCaches.config(new NearCache(1_000, Duration.ofMinutes(5))));
    awaitServedLocally(behindProxy, "k");

    proxy.freeze();
    long frozen = System.nanoTime();
    other.put("k", "v2"); // on a connection of its own: the partition is the reader's alone
    long lastStale = frozen;
    while (System.nanoTime() - frozen < LEASE_BOUND.toNanos()) {
      try {
        assertEquals("v1", behindProxy.get("k"));
        lastStale = System.nanoTime();
      } catch (CacheException timedOut) {
        break;
      }
    }
    System.out.printf("Near cache behind a frozen connection: the replaced value served for %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(lastStale - frozen));
    assertThrows(CacheException.class, () -> behindProxy.get("k"),
        "past the lease, a read goes to Redis, which does not answer in time");

    proxy.thaw();
    Await.until(SETTLE, "the new value once the connection flows again", () -> {
      try {
        return "v2".equals(behindProxy.get("k"));
      } catch (CacheException stillCatchingUp) {
        return false;
      }
    });
  }

  @Test
  void aRestartedServerServesNoCopyFromBefore() {
    redis.server().restart();

    Await.until(SETTLE, "the restart to be noticed", () -> {
      try {
        return near.get("k") == null;
      } catch (RuntimeException reconnecting) {
        return false;
      }
    });
    awaitBothManagersConnected();
    other.put("k", "after the restart");
    Await.until(SETTLE, "the new value to be read", () -> "after the restart".equals(near.get("k")));
  }

  @Test
  void aCopyIsNotServedPastTheEntrysTimeInRedis() {
    var expiring = fixture.separateCache(uri, "expiring", NearCaches.config(new NearCache(10,
        Duration.ofMinutes(5))).setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
            new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 400))));
    expiring.put("k", "short-lived");
    assertEquals("short-lived", expiring.get("k"));

    Await.until(SETTLE, "Redis to expire the entry",
        () -> raw().commands().exists(RawRedis.utf8(prefix + ":expiring:k")) == 0);
    assertNull(expiring.get("k"), "not served once Redis has let it go");
  }

  @Test
  void theMxBeanCountsWhatTheNearCacheDid() throws Exception {
    NearCacheMXBean bean = NearCaches.bean("c");
    assertTrue(bean.isServing());
    assertEquals(1, bean.getSize());

    long hits = bean.getHits();
    for (int i = 0; i < 10; i++) {
      near.get("k");
    }
    assertEquals(hits + 10, bean.getHits());
    // counted from here: the set-up's own write may have been counted already
    long invalidations = bean.getInvalidations();
    raw().set(prefix + ":c:k", RawRedis.utf8("v2"));
    Await.until(SETTLE, "the invalidation to be counted",
        () -> bean.getInvalidations() > invalidations);
    long misses = bean.getMisses();
    near.get("k");
    assertEquals(misses + 1, bean.getMisses());
    long drops = bean.getDrops();
    raw().commands().flushall();
    Await.until(SETTLE, "the flush to be counted", () -> bean.getDrops() > drops);
  }
}

package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.management.NearCacheMXBean;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisClusterTest;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.ScanArgs;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A near cache over a Redis Cluster of three masters: every master tracks the cache's keys on the
 * manager's own connection to it, so a plain client's write on any shard evicts the copy, and a
 * reader never sees a key's versions go backwards while another manager writes them.
 */
@RedisClusterTest
@Timeout(60)
class NearCacheOnClusterTest {

  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final int KEYS = 60;

  private final ManagerFixture fixture = new ManagerFixture();
  private String prefix;
  private RawRedis raw;
  private Cache<String, String> near;
  private Cache<String, String> other;

  @BeforeEach
  void open(RedisEndpoint redis) {
    prefix = RedisEndpoint.uniquePrefix("near-cluster");
    raw = fixture.own(new RawRedis(redis.uri()));
    near = fixture.separateCache(redis.uriWithPrefix(prefix), "c",
        NearCaches.config(new NearCache(1_000, Duration.ofMinutes(5))));
    other = fixture.separateCache(redis.uriWithPrefix(prefix), "c", NearCaches.config(null));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aPlainClientsWriteOnAnyShardEvictsTheCopy() throws Exception {
    for (int i = 0; i < KEYS; i++) {
      other.put("k" + i, "v1");
    }
    NearCacheMXBean bean = NearCaches.bean("c");
    Await.until(SETTLE, "every master to track the cache", bean::isServing);
    for (int i = 0; i < KEYS; i++) {
      assertEquals("v1", near.get("k" + i));
    }
    long hits = bean.getHits();
    for (int i = 0; i < KEYS; i++) {
      assertEquals("v1", near.get("k" + i));
    }
    assertEquals(hits + KEYS, bean.getHits(), "every key served from this JVM the second time");
    long shards = raw.masters().stream().filter(master -> !master.scan(ScanArgs.Builder
        .matches(RawRedis.utf8(prefix + ":c:*")).limit(1_000)).getKeys().isEmpty()).count();
    assertEquals(3, shards, "the keys are spread over every master");

    for (int i = 0; i < KEYS; i++) {
      raw.set(prefix + ":c:k" + i, RawRedis.utf8("v2"));
    }

    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      Await.until(SETTLE, key + "'s copy to be evicted", () -> "v2".equals(near.get(key)));
    }
    raw.commands().del(RawRedis.utf8(prefix + ":c:k0"));
    Await.until(SETTLE, "a delete to evict the copy", () -> near.get("k0") == null);
    assertNull(near.get("k0"));
  }


  @Test
  void aReaderNeverGoesBackOnAnyShard() throws Exception {
    String[] keys = {"a", "b", "c", "d", "e", "f"};
    for (String key : keys) {
      other.put(key, "v0");
    }
    var done = new AtomicBoolean();
    var failure = new AtomicReference<Throwable>();
    Thread reader = new Thread(() -> {
      long[] seen = new long[keys.length];
      while (!done.get()) {
        for (int k = 0; k < keys.length; k++) {
          long version = Long.parseLong(near.get(keys[k]).substring(1));
          assertTrue(version >= seen[k], keys[k] + " went back from v" + seen[k] + " to v"
              + version);
          seen[k] = version;
        }
      }
    });
    reader.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
    reader.start();
    for (int version = 1; version <= 100; version++) {
      for (String key : keys) {
        other.put(key, "v" + version);
      }
      for (String key : keys) {
        long returned = System.nanoTime();
        while (Long.parseLong(near.get(key).substring(1)) < version) {
          assertTrue(System.nanoTime() - returned < SETTLE.toNanos(),
              key + " v" + version + " did not reach the reader");
          Thread.onSpinWait();
        }
      }
    }
    done.set(true);
    reader.join();
    assertNull(failure.get(), () -> "the reader failed: " + failure.get());
  }
}

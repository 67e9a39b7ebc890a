package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.age;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.jobOf;
import static dev.stepper.cache.RevalidationFixture.leaseKey;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.pttl;
import static dev.stepper.cache.RevalidationFixture.record;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static dev.stepper.cache.RevalidationFixture.statistic;
import static dev.stepper.cache.RevalidationFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.CountingLoader;
import dev.stepper.cache.RevalidationFixture.Gate;
import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.StringCaches;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reads of a stale-while-revalidate cache by the age of the entry: fresh entries are served as
 * they are, stale ones are served at once and reloaded once in the background, and entries past
 * their stale window are gone from Redis, so the next read is a miss. Staleness is made by
 * shortening the entry's time-to-live in Redis ({@code PEXPIRE}), except in the tests that let
 * real time pass.
 */
@Timeout(30)
class RevalidationReadTest extends RevalidationTestBase {

  @Test
  void aFreshHitIsServedWithoutCallingTheLoader() {
    var loader = new CountingLoader();
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows(), loader));
    cache.put("k", "v1");

    for (int i = 0; i < 5; i++) {
      assertEquals("v1", cache.get("k"));
    }
    assertEquals(Map.of("k", "v1"), cache.getAll(Set.of("k")));

    assertEquals(0, loader.calls());
    assertEquals(0, revalidation(uri, "StaleHits"));
    assertEquals(0, revalidation(uri, "JobsStarted"));
    assertNull(record(raw, leaseKey(prefix, "k")), "a fresh hit took a lease");
  }

  @Test
  void aStaleHitIsServedAtOnceAndRefreshedExactlyOnceInTheBackground() {
    var gate = new Gate();
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      return "v2";
    });
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows(), generator));
    cache.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 8_000); // under the 10 s stale window

    // The refresh is held at the gate: these reads cannot have waited for it.
    for (int i = 0; i < 10; i++) {
      assertEquals("v1", cache.get("k"), "read " + i + " of the stale entry");
    }
    Await.until(WAIT, "the refresh to start", () -> generator.calls().size() == 1);
    assertTrue(generator.calls().get(0).refresh(), "a stale entry's job is a refresh");
    assertEquals(10, revalidation(uri, "StaleHits"));
    assertEquals("v1", text(raw, entryKey(prefix, "k")), "a refresh stores no placeholder");

    gate.open();
    Await.until(WAIT, "the refreshed value to be stored", () -> revalidation(uri, "Refreshes") == 1);
    assertEquals("v2", cache.get("k"));
    assertEquals(1, generator.calls().size());
    long ttl = pttl(raw, entryKey(prefix, "k"));
    assertTrue(ttl > 10_000, "the refreshed entry is fresh again (fresh + stale), ttl " + ttl);
  }

  @Test
  void aPlainLoaderRefreshesAStaleEntryOnceAndTheFirstReadAfterwardsGetsTheNewValue()
      throws Exception {
    var gate = new Gate();
    var loader = new CountingLoader().answering((key, call) -> {
      gate.pass();
      return "v2";
    });
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows(), loader));
    cache.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 8_000);

    assertEquals("v1", cache.get("k"));
    assertEquals(Map.of("k", "v1"), cache.getAll(Set.of("k")));
    Await.until(WAIT, "the refresh to start", () -> loader.calls() == 1);
    assertTrue(record(raw, leaseKey(prefix, "k")).startsWith("L|"), "the refresh holds the lease");

    gate.open();
    Await.until(WAIT, "the refresh to finish", () -> loader.finished() == 1);
    Await.until(WAIT, "the refreshed value", () -> "v2".equals(cache.get("k")));
    assertEquals(1, loader.calls());
    // counted, and the lease given back, just after the value is stored
    Await.until(WAIT, "the refresh to count", () -> revalidation(uri, "Refreshes") == 1);
    Await.until(WAIT, "the lease to be given back",
        () -> record(raw, leaseKey(prefix, "k")) == null);
    assertEquals(1, loader.calls());
  }

  @Test
  void aCacheThatReadsThroughNoLoaderIsRefusedWhenCreated() {
    // Without a loader nothing could refresh a stale entry: it would be a plain TTL in disguise.
    var policy = StaleWhileRevalidate.fresh(Duration.ofSeconds(1)).stale(Duration.ofSeconds(5));
    var manager = fixture.manager(uri);
    var withoutLoader = StringCaches.config().setExpiryPolicyFactory(policy.factory());
    var loaderWithoutReadThrough = config(policy, new Generator()).setReadThrough(false);

    for (var config : List.of(withoutLoader, loaderWithoutReadThrough)) {
      var refused = assertThrows(IllegalArgumentException.class,
          () -> manager.createCache(CACHE, config));
      assertTrue(refused.getMessage().contains("stale-while-revalidate refreshes entries through"
          + " the cache's loader") && refused.getMessage().contains("read-through"),
          refused.getMessage());
      assertNull(manager.getCache(CACHE), "nothing was created");
    }
  }

  @Test
  void realTimeMakesAnEntryStaleAndTheStaleReadRefreshesIt() {
    var generator = new Generator();
    var policy = StaleWhileRevalidate.fresh(Duration.ofMillis(300)).stale(Duration.ofSeconds(5));
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(policy, generator));
    cache.put("k", "v1");

    Await.until(WAIT, "the fresh window to pass",
        () -> pttl(raw, entryKey(prefix, "k")) < 5_000);
    assertEquals("v1", cache.get("k"), "a stale entry is still served");
    Await.until(WAIT, "the refreshed value to be stored", () -> revalidation(uri, "Refreshes") == 1);

    assertEquals(1, generator.calls().size());
    assertEquals(1, revalidation(uri, "StaleHits"));
    assertEquals("k@1", cache.get("k"), "the first read after the refresh");
  }

  @Test
  void pastItsStaleWindowAnEntryIsGoneAndTheNextReadIsAMiss() {
    var gate = new Gate();
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      return "generated";
    });
    var policy = StaleWhileRevalidate.fresh(Duration.ofMillis(200)).stale(Duration.ofMillis(600));
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(policy, generator));
    cache.put("k", "v1");

    Await.until(WAIT, "Redis to drop the entry", () -> pttl(raw, entryKey(prefix, "k")) == -2);
    String placeholder = cache.get("k");

    assertTrue(isPending(placeholder), "a miss of a background loader is a placeholder: "
        + placeholder);
    assertEquals(placeholder, text(raw, entryKey(prefix, "k")));
    Await.until(WAIT, "the job", () -> generator.calls().size() == 1);
    assertEquals(jobOf(placeholder), generator.calls().get(0).jobId());
    assertEquals(0, revalidation(uri, "StaleHits"));
    gate.open();
    Await.until(WAIT, "the generated value", () -> "generated".equals(cache.get("k")));
  }

  @Test
  void aStaleHitCountsAsAHitAndAMissAsAMiss() {
    var generator = new Generator();
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows(), generator).setStatisticsEnabled(true));
    cache.put("stale", "v1");
    age(raw, entryKey(prefix, "stale"), 8_000);

    assertEquals("v1", cache.get("stale"));
    assertEquals(1, statistic(uri, "CacheHits"));
    assertEquals(0, statistic(uri, "CacheMisses"));
    assertEquals(1, revalidation(uri, "StaleHits"));

    assertTrue(isPending(cache.get("missing")));
    assertEquals(1, statistic(uri, "CacheHits"));
    assertEquals(1, statistic(uri, "CacheMisses"));
    assertEquals(1, revalidation(uri, "StaleHits"));
  }
}

package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.age;
import static dev.stepper.cache.RevalidationFixture.backoff;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.leaseKey;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.pttl;
import static dev.stepper.cache.RevalidationFixture.record;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stepper.cache.RevalidationFixture.CountingLoader;
import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.cache.Cache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A refresh of a stale entry that fails leaves the stale value served until its stale window ends,
 * and records the failure in the entry's job record, {@code <prefix>:~<cache>:<key>}, so that no
 * manager retries before the backoff ends; the record never shows in the cache itself. Manager B
 * connects with another client name, so that its MXBean has a name of its own and its counters can
 * be read too.
 */
@Timeout(30)
class RevalidationRefreshFailureTest extends RevalidationTestBase {

  private URI uriB;

  @BeforeEach
  void openRefreshFailure() {
    uriB = URI.create(uri + "&clientName=swr-b");
  }

  @Test
  void aFailedRefreshIsRecordedAndNoManagerRetriesBeforeItsRetryTime() {
    var loader = new CountingLoader().answering((key, call) -> {
      if (call == 1) {
        throw new IllegalStateException("backend down");
      }
      return "v2";
    });
    var config = config(longWindows().backoff(backoff(Duration.ofSeconds(2))), loader);
    Cache<String, String> a = fixture.separateCache(uri, CACHE, config);
    Cache<String, String> b = fixture.separateCache(uriB, CACHE, config);
    a.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 8_000);

    assertEquals("v1", a.get("k"));
    Await.until(WAIT, "the refresh to fail", () -> revalidation(uri, "RefreshFailures") == 1);
    String failure = record(raw, leaseKey(prefix, "k"));
    assertTrue(failure.startsWith("F|1|"), "the job record holds the failure: " + failure);
    Instant retryAt = Instant.ofEpochMilli(Long.parseLong(failure.split("\\|")[2]));

    assertEquals("v1", b.get("k"), "another manager still serves the stale value");
    Await.until(WAIT, "B's refresh to meet the backoff", () -> revalidation(uriB, "BackoffHits") >= 1);
    assertEquals("v1", a.get("k"));
    Await.until(WAIT, "A's refresh to meet the backoff", () -> revalidation(uri, "BackoffHits") >= 1);
    assertTrue(Instant.now().isBefore(retryAt), "the reads above came before the retry time");
    assertEquals(1, loader.calls(), "nobody retried before the retry time");

    Await.until(WAIT, "the retry time", () -> Instant.now().isAfter(retryAt));
    assertEquals("v1", b.get("k"), "still stale, still served");
    Await.until(WAIT, "B to refresh the entry", () -> revalidation(uriB, "Refreshes") == 1);
    assertEquals("v2", a.get("k"));
    assertEquals(2, loader.calls());
    Await.until(WAIT, "a successful refresh to clear the record",
        () -> record(raw, leaseKey(prefix, "k")) == null);
  }

  @Test
  void theStaleValueIsServedUntilItsStaleWindowEndsThenTheEntryIsAMiss() {
    var generator = new Generator().answering((key, job, call) -> {
      if (job.isRefresh()) {
        throw new IllegalStateException("backend down");
      }
      return "generated";
    });
    Cache<String, String> cache = fixture.separateCache(uri, CACHE,
        config(longWindows().backoff(backoff(Duration.ofSeconds(5))), generator));
    cache.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 1_500);

    assertEquals("v1", cache.get("k"));
    Await.until(WAIT, "the refresh to fail", () -> revalidation(uri, "RefreshFailures") == 1);

    long deadline = System.nanoTime() + WAIT.toNanos();
    int staleReads = 0;
    while (true) {
      long left = pttl(raw, entryKey(prefix, "k"));
      String value = cache.get("k");
      if (!"v1".equals(value)) {
        // Only once the window is over (or nearly: the read came a moment after the PTTL).
        assertTrue(left <= 300, "the stale value was not served with " + left + " ms left");
        assertTrue(isPending(value), "past its stale window the entry is a miss: " + value);
        break;
      }
      staleReads++;
      assertEquals(1, generator.calls().size(), "no refresh retried before the backoff ended");
      if (System.nanoTime() - deadline > 0) {
        fail("the entry outlived its stale window");
      }
    }
    assertTrue(staleReads > 1, "stale reads: " + staleReads);
    assertEquals(1, revalidation(uri, "RefreshFailures"));
  }

  @Test
  void aRefreshAfterAFailedRefreshKnowsItIsTheSecondAttempt() {
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        throw new IllegalStateException("backend down");
      }
      return "v2";
    });
    Cache<String, String> cache = fixture.separateCache(uri, CACHE,
        config(longWindows(), generator));
    cache.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 8_000);
    assertEquals("v1", cache.get("k"));
    Await.until(WAIT, "the refresh to fail", () -> revalidation(uri, "RefreshFailures") == 1);
    String failure = record(raw, leaseKey(prefix, "k"));
    Instant retryAt = Instant.ofEpochMilli(Long.parseLong(failure.split("\\|")[2]));

    Await.until(WAIT, "the retry time", () -> Instant.now().isAfter(retryAt));
    assertEquals("v1", cache.get("k"));
    Await.until(WAIT, "the second refresh", () -> "v2".equals(cache.get("k")));

    assertEquals(List.of(1, 2), generator.calls().stream().map(c -> c.attempt()).toList(),
        "Job.attempt(): one more than the failed attempts before it");
  }

  @Test
  void closingACacheDuringARefreshIsNotARefreshFailure() {
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        gate.pass(); // not opened before the cache closes: interrupted
      }
      return "v2";
    });
    // A failure would hold off refreshes for 30 s; the lease of a dead refresh lasts 3 s, longer
    // than closing waits for the job (A's timeout, 1 s).
    var config = config(longWindows().lease(Duration.ofSeconds(3))
        .backoff(backoff(Duration.ofSeconds(30))), generator);
    Cache<String, String> a = fixture.separateCache(URI.create(uri + "&timeout=1s"), CACHE,
        config);
    Cache<String, String> b = fixture.separateCache(uriB, CACHE, config);
    a.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 8_000);
    assertEquals("v1", a.get("k"));
    Await.until(WAIT, "the refresh to start", () -> generator.calls().size() == 1);

    assertTimeoutPreemptively(Duration.ofSeconds(15), a::close, "closing the cache");
    Await.until(WAIT, "the cut-short refresh to let go of its lease",
        () -> !String.valueOf(record(raw, leaseKey(prefix, "k"))).startsWith("L|"));

    assertNull(record(raw, leaseKey(prefix, "k")),
        "closing a cache recorded a refresh failure, holding off every manager's refresh");
    assertEquals("v1", b.get("k"));
    Await.until(WAIT, "another manager to refresh", () -> "v2".equals(b.get("k")));
  }

  @Test
  void jobRecordsLiveBesideTheEntriesAndNeverShowUpInTheCache() {
    var loader = new CountingLoader().answering((key, call) -> {
      throw new IllegalStateException("backend down");
    });
    Cache<String, String> cache = fixture.separateCache(uri, CACHE,
        config(longWindows(), loader));
    cache.put("k", "v1");
    cache.put("other", "v2");
    age(raw, entryKey(prefix, "k"), 8_000);
    assertEquals("v1", cache.get("k"));
    Await.until(WAIT, "the refresh to fail", () -> revalidation(uri, "RefreshFailures") == 1);

    assertEquals(List.of(entryKey(prefix, "k"), entryKey(prefix, "other"), leaseKey(prefix, "k")),
        raw.keys(prefix + ":*"));
    assertEquals(prefix + ":~" + CACHE + ":k", leaseKey(prefix, "k"));
    Map<String, String> iterated = new TreeMap<>();
    cache.forEach(entry -> iterated.put(entry.getKey(), entry.getValue()));
    assertEquals(Map.of("k", "v1", "other", "v2"), iterated);
    cache.clear();
    assertEquals(List.of(), raw.keys(prefix + ":" + CACHE + ":*"));
  }
}

package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.backoff;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.leaseKey;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.record;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static dev.stepper.cache.RevalidationFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.CountingLoader;
import dev.stepper.cache.testing.Await;
import java.time.Duration;
import java.time.Instant;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain {@link javax.cache.integration.CacheLoader} on a miss loads on the caller's thread under
 * the entry's lease; when it fails the caller gets a {@link CacheLoaderException}, and reads
 * before the backoff ends get one too without calling the loader.
 */
@Timeout(30)
class RevalidationPlainLoaderTest extends RevalidationTestBase {

  @Test
  void aMissLoadsOnTheCallersThreadAndStoresTheValue() {
    var loader = new CountingLoader();
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows(), loader));

    assertEquals("k#1", cache.get("k"));

    assertEquals("k#1", text(raw, entryKey(prefix, "k")));
    assertNull(record(raw, leaseKey(prefix, "k")), "the lease is given back");
    assertEquals("k#1", cache.get("k"));
    assertEquals(1, loader.calls());
    assertEquals(1, revalidation(uri, "JobsStarted"));
    assertEquals(1, revalidation(uri, "JobsSucceeded"));
  }

  @Test
  void aFailedLoadIsNotRetriedBeforeItsBackoffEnds() {
    var loader = new CountingLoader().answering((key, call) -> {
      if (call <= 2) {
        throw new IllegalStateException("backend down " + call);
      }
      return "loaded";
    });
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows().backoff(backoff(Duration.ofSeconds(1))), loader));

    var first = assertThrows(CacheLoaderException.class, () -> cache.get("k"));
    assertTrue(first.getMessage().contains("backend down 1"), first.getMessage());
    String failure = record(raw, leaseKey(prefix, "k"));
    assertTrue(failure.startsWith("F|1|"), failure);
    Instant retryAt = Instant.ofEpochMilli(Long.parseLong(failure.split("\\|")[2]));

    var early = assertThrows(CacheLoaderException.class, () -> cache.get("k"));
    assertTrue(Instant.now().isBefore(retryAt), "the read above came before the retry time");
    assertTrue(early.getMessage().contains("not retried before " + retryAt),
        "says when it retries: " + early.getMessage());
    assertEquals(1, loader.calls(), "a read before the retry time called the loader");
    assertEquals(1, revalidation(uri, "BackoffHits"));
    assertEquals(1, revalidation(uri, "JobFailures"));

    Await.until(WAIT, "the retry time", () -> Instant.now().isAfter(retryAt));
    long beforeRetry = System.currentTimeMillis();
    var second = assertThrows(CacheLoaderException.class, () -> cache.get("k"));
    assertTrue(second.getMessage().contains("backend down 2"), second.getMessage());
    assertEquals(2, loader.calls());
    String again = record(raw, leaseKey(prefix, "k"));
    assertTrue(again.startsWith("F|2|"), "two failures in a row: " + again);
    long secondRetryAt = Long.parseLong(again.split("\\|")[2]);
    assertTrue(secondRetryAt - beforeRetry >= 1_990,
        "the second failure backs off twice as long: " + (secondRetryAt - beforeRetry) + " ms");

    Await.until(WAIT, "the second retry time",
        () -> System.currentTimeMillis() > secondRetryAt);
    assertEquals("loaded", cache.get("k"));
    assertEquals(3, loader.calls());
    assertNull(record(raw, leaseKey(prefix, "k")), "a successful load clears the record");
  }
}

package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.age;
import static dev.stepper.cache.RevalidationFixture.attemptsOf;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isFailed;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.jobOf;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.pending;
import static dev.stepper.cache.RevalidationFixture.progressOf;
import static dev.stepper.cache.RevalidationFixture.pttl;
import static dev.stepper.cache.RevalidationFixture.retryAtOf;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static dev.stepper.cache.RevalidationFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.Gate;
import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.EventRecorder.Seen;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link dev.stepper.cache.swr.BackgroundLoader} on a miss: the placeholder is stored and
 * returned at once, one job generates the value, and the value replaces the placeholder only while
 * the entry still holds it. Failures are stored as records that are served until their retry time,
 * and a placeholder whose job died is replaced once its lease has run out.
 */
@Timeout(30)
class RevalidationBackgroundLoaderTest extends RevalidationTestBase {

  private Cache<String, String> cache(Generator generator) {
    return fixture.manager(uri).createCache(CACHE, config(longWindows(), generator));
  }

  /** @return a cache whose jobs run one after the other, on one thread */
  private Cache<String, String> serialCache(Generator generator) {
    return fixture.manager(uri).createCache(CACHE,
        config(longWindows().jobThreads(1), generator));
  }

  /**
   * Waits until every job a {@link #serialCache} started so far has completely finished: a job
   * started now runs only after them, on the same thread.
   */
  private static void awaitJobsDone(Cache<String, String> cache) {
    assertTrue(isPending(cache.get("barrier")));
    Await.until(WAIT, "the barrier's job", () -> !isPending(cache.get("barrier")));
  }

  @Test
  void aMissStoresAPlaceholderReturnsItAtOnceAndStartsOneJob() {
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      return "value";
    });
    Cache<String, String> cache = cache(generator);

    String placeholder = cache.get("k");

    assertTrue(isPending(placeholder), "the first read returns the placeholder: " + placeholder);
    assertEquals(placeholder, text(raw, entryKey(prefix, "k")), "the placeholder is in Redis");
    long ttl = pttl(raw, entryKey(prefix, "k"));
    assertTrue(ttl > 0 && ttl <= 5_000, "a placeholder lives as long as the lease, ttl " + ttl);
    Await.until(WAIT, "the job to start", () -> generator.calls().size() == 1);
    var call = generator.calls().get(0);
    assertEquals(jobOf(placeholder), call.jobId());
    assertEquals(1, call.attempt());
    assertFalse(call.refresh());

    gate.open();
    Await.until(WAIT, "the generated value", () -> "value".equals(cache.get("k")));
    assertEquals(1, generator.calls().size());
    assertEquals(1, revalidation(uri, "JobsStarted"));
    // counted just after the value is stored
    Await.until(WAIT, "the job to count as succeeded", () -> revalidation(uri, "JobsSucceeded") == 1);
    long generatedTtl = pttl(raw, entryKey(prefix, "k"));
    assertTrue(generatedTtl > 10_000, "the value lives fresh + stale, ttl " + generatedTtl);
  }

  @Test
  void aReadOfAPendingPlaceholderReturnsItWithTheJobsProgressAndStartsNothing() {
    var progressShown = new Gate();
    var updates = new CopyOnWriteArrayList<Boolean>();
    var generator = new Generator().answering((key, job, call) -> {
      updates.add(job.update(j -> pending(j.id(), j.leaseUntil(), 40)));
      progressShown.open();
      gate.pass();
      return "value";
    });
    Cache<String, String> cache = cache(generator);
    String first = cache.get("k");
    assertEquals(0, progressOf(first));

    Await.until(WAIT, "the job to show progress", () -> updates.size() == 1);
    String second = cache.get("k");
    String third = cache.get("k");

    assertEquals(List.of(true), updates, "Job.update while the entry holds the placeholder");
    assertEquals(jobOf(first), jobOf(second), "the same job");
    assertEquals(40, progressOf(second));
    assertEquals(second, third);
    assertEquals(1, generator.calls().size());
    assertEquals(1, revalidation(uri, "JobsStarted"));
    assertTrue(revalidation(uri, "SingleFlightWaits") >= 2, "reads that joined the job");
    gate.open();
    Await.until(WAIT, "the generated value", () -> "value".equals(cache.get("k")));
  }

  @Test
  void aJobWhosePlaceholderWasOverwrittenDoesNotOverwriteTheNewEntry() {
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      return "late";
    });
    Cache<String, String> cache = serialCache(generator);
    assertTrue(isPending(cache.get("k")));
    Await.until(WAIT, "the job to start", () -> generator.calls().size() == 1);

    cache.put("k", "put meanwhile");
    gate.open();
    awaitJobsDone(cache);

    assertEquals("put meanwhile", cache.get("k"));
    assertEquals("put meanwhile", text(raw, entryKey(prefix, "k")));
    assertEquals(1, revalidation(uri, "JobsSuperseded"));
    Await.until(WAIT, "the barrier's job to count as succeeded",
        () -> revalidation(uri, "JobsSucceeded") >= 1);
    assertEquals(1, revalidation(uri, "JobsSucceeded"), "only the barrier's job stored a value");
  }

  @Test
  void aSupersededJobIsCountedOnceEvenIfItTriedToShowProgress() {
    var updates = new CopyOnWriteArrayList<Boolean>();
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      if (key.equals("k")) {
        updates.add(job.update(j -> pending(j.id(), j.leaseUntil(), 90)));
      }
      return "late";
    });
    Cache<String, String> cache = serialCache(generator);
    assertTrue(isPending(cache.get("k")));
    Await.until(WAIT, "the job to start", () -> generator.calls().size() == 1);

    cache.put("k", "put meanwhile");
    gate.open();
    awaitJobsDone(cache);

    assertEquals(List.of(false), updates, "update tells the job it was superseded");
    assertEquals("put meanwhile", cache.get("k"));
    // One generation was superseded: its refused update and its dropped result are one job.
    assertEquals(1, revalidation(uri, "JobsSuperseded"),
        "JobsSuperseded counts generations, not each refused write of one generation");
  }

  @Test
  void aFailedJobStoresAFailureRecordServedUntilItsRetryTimeThenANewAttemptStarts() {
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        throw new IllegalStateException("backend down");
      }
      return "value";
    });
    Cache<String, String> cache = cache(generator);
    assertTrue(isPending(cache.get("k")));

    String failure = Await.success(WAIT, () -> {
      String value = cache.get("k");
      assertTrue(isFailed(value), "not failed yet: " + value);
      return value;
    });
    assertEquals(1, attemptsOf(failure));
    assertTrue(failure.endsWith("backend down"), failure);
    Instant retryAt = retryAtOf(failure);
    assertEquals(failure, text(raw, entryKey(prefix, "k")), "the failure record is in Redis");
    assertEquals(1, revalidation(uri, "JobFailures"));

    // Reads before the retry time (1 s backoff) get the record and start nothing.
    assertEquals(failure, cache.get("k"));
    assertEquals(failure, cache.get("k"));
    assertTrue(Instant.now().isBefore(retryAt), "the reads above came before the retry time");
    assertEquals(1, generator.calls().size());
    assertEquals(1, revalidation(uri, "JobsStarted"));
    assertTrue(revalidation(uri, "BackoffHits") >= 2);

    Await.until(WAIT, "the retry time", () -> Instant.now().isAfter(retryAt));
    String retry = cache.get("k");

    assertTrue(isPending(retry), "the first read after the retry time starts a job: " + retry);
    Await.until(WAIT, "the second job", () -> generator.calls().size() == 2);
    var second = generator.calls().get(1);
    assertEquals(jobOf(retry), second.jobId());
    assertEquals(2, second.attempt(), "attempt = failed attempts before + 1");
    Await.until(WAIT, "the generated value", () -> "value".equals(cache.get("k")));
    assertEquals(2, revalidation(uri, "JobsStarted"));
  }

  @Test
  void aPlaceholderWhoseLeaseRanOutIsReplacedByANewJob() {
    var generator = new Generator();
    Cache<String, String> cache = cache(generator);
    // As a dead JVM leaves it: its lease has ended, yet Redis still keeps the entry (its time to
    // live outlasts the lease, as a clock behind the others' makes it). Put with a lease that has
    // not ended yet, since the cache gives a placeholder no longer a life than its lease.
    Instant leaseEnd = Instant.now().plusMillis(300);
    String orphan = pending("dead-job", leaseEnd, 70);
    cache.put("k", orphan);
    age(raw, entryKey(prefix, "k"), 60_000);
    Await.until(WAIT, "the lease's end", () -> Instant.now().isAfter(leaseEnd));

    String replaced = cache.get("k");

    assertTrue(isPending(replaced), replaced);
    assertNotEquals("dead-job", jobOf(replaced));
    Await.until(WAIT, "the generated value", () -> "k@1".equals(cache.get("k")));
    assertEquals(1, generator.calls().size());
    assertEquals(jobOf(replaced), generator.calls().get(0).jobId());
  }

  @Test
  void aJobCutShortByClosingItsManagerDoesNotBlockTheEntryForever() {
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        gate.pass(); // not opened before the manager closes: interrupted
      }
      return "value " + call;
    });
    var config = config(longWindows().lease(Duration.ofSeconds(2)), generator);
    CacheManager dying = fixture.separateManager(uri);
    Cache<String, String> first = dying.createCache(CACHE, config);
    String placeholder = first.get("k");
    Await.until(WAIT, "the job to start", () -> generator.calls().size() == 1);
    // opened only now, so that the job is the dying manager's and not taken by this one's workers
    Cache<String, String> second = fixture.separateCache(uri, CACHE, config);
    assertEquals(placeholder, second.get("k"), "another manager joins the job under way");

    // closing hands the job back to the queue, where the other manager takes it at once
    assertTimeoutPreemptively(Duration.ofSeconds(15), dying::close, "closing the manager");

    Await.until(WAIT, "the other manager to generate the value",
        () -> "value 2".equals(second.get("k")));
    assertEquals(2, generator.calls().size());
    assertFalse(generator.calls().get(1).refresh());
  }

  @Test
  void listenersHearThePlaceholderCreatedThenTheValueOrTheFailureUpdated() throws Exception {
    var generator = new Generator().answering((key, job, call) -> {
      if (key.equals("bad")) {
        throw new IllegalStateException("no");
      }
      return "value";
    });
    Cache<String, String> cache = cache(generator);
    EventRecorder events = EventRecorder.registerOn(cache);

    String placeholder = cache.get("good");
    assertEvent(events.next(), EventType.CREATED, "good", placeholder, null);
    assertEvent(events.next(), EventType.UPDATED, "good", "value", placeholder);

    String badPlaceholder = cache.get("bad");
    assertEvent(events.next(), EventType.CREATED, "bad", badPlaceholder, null);
    Seen failure = events.next();
    assertNotNull(failure, "no event for the failure");
    assertTrue(isFailed(failure.value()), failure.toString());
    assertEvent(failure, EventType.UPDATED, "bad", failure.value(), badPlaceholder);
    assertEquals(failure.value(), cache.get("bad"));
  }

  private static void assertEvent(Seen seen, EventType type, String key, String value,
      String oldValue) {
    assertNotNull(seen, "no " + type + " event for " + key);
    assertEquals(type, seen.type(), seen.toString());
    assertEquals(key, seen.key(), seen.toString());
    assertEquals(value, seen.value(), seen.toString());
    assertEquals(oldValue, seen.oldValue(), seen.toString());
  }
}

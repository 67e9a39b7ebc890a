package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.age;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.leaseKey;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.record;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static dev.stepper.cache.RevalidationFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.Await;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a cache or its manager while jobs run, job records that are not ours, and the lease of
 * a long refresh: closing is never recorded as a failure, even when the generator wraps the
 * interrupt; the manager closes only after its jobs stopped; a malformed job record counts as
 * none; a refresh that shows progress keeps its lease, one that stays silent past it is presumed
 * dead; and a manager that found another one's lease stops asking Redis until that lease ends.
 */
@Timeout(30)
class RevalidationShutdownAndLeaseTest extends RevalidationTestBase {

  /** Holds a job until the test lets it go; opened after every test. */
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeShutdownAndLease() {
    release.countDown();
  }

  /** @return the test's URI whose manager waits {@code timeout} for its jobs when it closes */
  private URI withTimeout(String timeout) {
    return URI.create(uri + "&timeout=" + timeout);
  }

  private void holdUntilReleased() throws InterruptedException {
    if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the test never released the job");
    }
  }

  /**
   * Opens the cache in two managers, A and B, makes entry {@code k} ({@code v0}) stale and lets
   * A start refreshing it.
   *
   * @return B's cache
   */
  private Cache<String, String> staleWhileARefreshes(StaleWhileRevalidate policy,
      Generator generator, URI uriB) {
    Cache<String, String> a = fixture.separateCache(uri, CACHE, config(policy, generator));
    Cache<String, String> b = fixture.separateCache(uriB, CACHE, config(policy, generator));
    a.put("k", "v0");
    age(raw, entryKey(prefix, "k"), 9_000);
    assertEquals("v0", a.get("k"));
    Await.until(WAIT, "A's refresh to start", () -> generator.calls().size() == 1);
    return b;
  }

  private static void awaitEnd(AtomicReference<Thread> jobThread) {
    Await.until(WAIT, "the job thread to end", () -> !jobThread.get().isAlive());
  }

  // ---- closing

  @Test
  void closingTheCacheDuringAJobStoresNoFailureEvenIfTheGeneratorWrapsTheInterrupt() {
    var jobThread = new AtomicReference<Thread>();
    var generator = new Generator().answering((key, job, call) -> {
      jobThread.set(Thread.currentThread());
      try {
        holdUntilReleased(); // never released before close: interrupted
      } catch (InterruptedException e) {
        throw new IllegalStateException("report service call interrupted", e); // flag cleared
      }
      return "value";
    });
    Cache<String, String> cache = fixture.manager(withTimeout("500ms"))
        .createCache(CACHE, config(longWindows(), generator));
    String placeholder = cache.get("k");
    assertTrue(isPending(placeholder), placeholder);
    Await.until(WAIT, "the job to start", () -> jobThread.get() != null);

    cache.close(); // waits 500 ms, then interrupts
    awaitEnd(jobThread); // whatever it stored, it has stored

    String stored = text(raw, entryKey(prefix, "k"));
    assertNull(stored, "closing the cache hands the entry back as it was (absent), with no"
        + " failure record and no placeholder left to wait out: " + stored);
    assertEquals(1, generator.calls().size());
  }

  @Test
  void aWorkerClosedMidJobHandsItBackAndAnotherManagerFinishesItWithoutWaitingForTheLease() {
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        holdUntilReleased(); // never released: interrupted when its manager closes
      }
      return "from job " + call;
    });
    Cache<String, String> worker = fixture.separateManager(withTimeout("500ms"))
        .createCache(CACHE, config(longWindows(), generator));
    assertTrue(isPending(worker.get("k")));
    Await.until(WAIT, "the job to start", () -> generator.calls().size() == 1);
    // Only now: any manager's workers may take a queued job, and this one must run on the worker.
    Cache<String, String> reader = fixture.separateCache(uri, CACHE, config(longWindows(), generator));

    worker.getCacheManager().close(); // a deploy: waits 500 ms, interrupts, hands the job back
    long closed = System.nanoTime();
    reader.get("k"); // starts the job again at once
    Await.until(WAIT, "the other manager's value", () -> "from job 2".equals(reader.get("k")));
    Duration took = Duration.ofNanos(System.nanoTime() - closed);

    // The dead placeholder's lease had more than 4 s to run when the worker closed.
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "finished elsewhere after " + took
        + ": it waited for the lease instead of being handed back");
    assertEquals(2, generator.calls().size(), "generations: " + generator.calls());
    assertEquals("from job 2", text(raw, entryKey(prefix, "k")), "one value, no failure record");
  }

  @Test
  void closingTheCacheDuringARefreshRecordsNoFailureEvenIfTheGeneratorWrapsTheInterrupt() {
    closeDuringARefresh(e -> new IllegalStateException("report service call interrupted", e));
  }

  @Test
  void closingTheCacheDuringARefreshGivesItsLeaseBackEvenIfTheGeneratorRethrowsTheInterrupt() {
    closeDuringARefresh(e -> e); // the thread stays interrupted while the lease is given back
  }

  private void closeDuringARefresh(Function<InterruptedException, Exception> onInterrupt) {
    var jobThread = new AtomicReference<Thread>();
    var generator = new Generator().answering((key, job, call) -> {
      jobThread.set(Thread.currentThread());
      try {
        holdUntilReleased();
      } catch (InterruptedException e) {
        throw onInterrupt.apply(e);
      }
      return "v2";
    });
    Cache<String, String> cache = fixture.manager(withTimeout("500ms"))
        .createCache(CACHE, config(longWindows(), generator));
    cache.put("k", "v1");
    age(raw, entryKey(prefix, "k"), 9_000);
    assertEquals("v1", cache.get("k"));
    Await.until(WAIT, "the refresh to start", () -> jobThread.get() != null);
    assertTrue(generator.calls().get(0).refresh());

    cache.close();
    awaitEnd(jobThread);

    assertNull(record(raw, leaseKey(prefix, "k")),
        "closing the cache left a job record: an L| one holds off every manager's refresh for"
            + " its lease, an F| one until its retry time");
    assertEquals("v1", text(raw, entryKey(prefix, "k")));
  }

  @Test
  void closingTheManagerWaitsForAJobThatStopsWhenInterrupted() {
    String cacheName = "swr-close-" + prefix;
    var jobThread = new AtomicReference<Thread>();
    var stopped = new AtomicBoolean();
    var generator = new Generator().answering((key, job, call) -> {
      jobThread.set(Thread.currentThread());
      try {
        holdUntilReleased();
        return "value";
      } catch (InterruptedException e) {
        Thread.sleep(600); // winds down, well within the second wait of the 1 s timeout
        stopped.set(true);
        throw e;
      }
    });
    CacheManager manager = fixture.manager(withTimeout("1s"));
    Cache<String, String> cache = manager.createCache(cacheName, config(longWindows(), generator));
    assertTrue(isPending(cache.get("k")));
    Await.until(WAIT, "the job to start", () -> jobThread.get() != null);

    long start = System.nanoTime();
    manager.close(); // waits 1 s, interrupts, waits up to 1 s more
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(stopped.get(), "manager.close() returned after " + tookMillis + " ms while the"
        + " interrupted job was still winding down");
    assertTrue(tookMillis < 5_000, "manager.close() took " + tookMillis + " ms");
    // A pool that terminated has only the last instructions of its threads left to run.
    Await.until(Duration.ofMillis(500), "no job thread of " + cacheName + " alive",
        () -> Thread.getAllStackTraces().keySet().stream().noneMatch(thread -> thread.isAlive()
            && thread.getName().startsWith("stepper-jobs-" + cacheName + "-")));
  }

  // ---- job records

  @Test
  void aMalformedJobRecordCountsAsNoneAndTheStaleEntryIsRefreshed() {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
    try {
      var generator = new Generator();
      Cache<String, String> cache = fixture.manager(uri)
          .createCache(CACHE, config(longWindows(), generator));
      Map<String, String> malformed = Map.of("a", "garbage", "b", "F|one|tomorrow");
      malformed.forEach((key, junk) -> {
        cache.put(key, "old " + key);
        raw.set(leaseKey(prefix, key), junk.getBytes(StandardCharsets.UTF_8));
        age(raw, entryKey(prefix, key), 9_000);
      });

      malformed.keySet().forEach(key -> assertEquals("old " + key, cache.get(key)));

      Await.until(WAIT, "both refreshes, or an error", () -> !uncaught.isEmpty()
          || malformed.keySet().stream().noneMatch(key -> text(raw, entryKey(prefix, key))
              .startsWith("old ")));
      assertTrue(uncaught.isEmpty(), "uncaught on a job thread: " + uncaught);
      for (String key : malformed.keySet()) {
        assertTrue(text(raw, entryKey(prefix, key)).startsWith(key + "@"),
            "refreshed " + key + ": " + text(raw, entryKey(prefix, key)));
        assertTrue(generator.callsFor(key).stream().allMatch(c -> c.refresh()));
        assertNull(record(raw, leaseKey(prefix, key)),
            "the refresh replaced the malformed record by its lease, then gave it back");
      }
      assertEquals(2, generator.calls().size(), "refreshes: " + generator.calls());
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  // ---- the lease of a long refresh

  @Test
  void aRefreshThatShowsProgressKeepsItsLeaseAndNoOtherManagerRefreshesMeanwhile()
      throws Exception {
    var lostLease = new AtomicBoolean();
    var renewals = new AtomicInteger();
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        while (!release.await(200, TimeUnit.MILLISECONDS)) {
          if (!job.update(j -> "ignored by a refresh")) {
            lostLease.set(true);
          }
          renewals.incrementAndGet();
        }
      }
      return "v" + call;
    });
    var policy = longWindows().lease(Duration.ofSeconds(1));
    URI uriB = URI.create(uri + "&clientName=swr-b");
    Cache<String, String> b = staleWhileARefreshes(policy, generator, uriB);

    // eight renewals, 200 ms apart: well past the 1 s lease A took, had it not been renewed
    Await.until(WAIT, "A to renew its lease 8 times", () -> renewals.get() >= 8);
    assertEquals("v0", b.get("k"));
    Await.until(WAIT, "B's refresh to find A's lease held",
        () -> revalidation(uriB, "SingleFlightWaits") >= 1);

    assertEquals(1, generator.calls().size(), "a second refresh started: " + generator.calls());
    release.countDown();
    Await.until(WAIT, "A's refreshed value", () -> "v1".equals(text(raw, entryKey(prefix, "k"))));
    assertEquals(1, generator.calls().size(), "refreshes: " + generator.calls());
    assertFalse(lostLease.get(), "Job.update() said the refresh had lost its lease");
  }

  @Test
  void staleReadsDuringAnotherManagersRefreshAskForTheLeaseOnlyOnce() {
    var generator = new Generator().answering((key, job, call) -> {
      holdUntilReleased();
      return "v" + call;
    });
    Cache<String, String> b = staleWhileARefreshes(longWindows(), generator, uri);
    assertTrue(String.valueOf(record(raw, leaseKey(prefix, "k"))).startsWith("L|"),
        "A holds the lease");

    raw.resetStats();
    int reads = 500;
    for (int i = 0; i < reads; i++) {
      assertEquals("v0", b.get("k"));
    }
    Map<String, Long> calls = raw.commandCalls();

    // Each read is one read.lua; each lease.lua asks the server's TIME, which read.lua never does.
    long scripts = calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
    long leaseScripts = calls.getOrDefault("time", 0L);
    assertTrue(leaseScripts <= 3, leaseScripts + " lease scripts for " + reads
        + " stale reads while A holds the lease: " + calls);
    assertTrue(scripts - reads <= 3, scripts + " scripts for " + reads + " stale reads: " + calls);
    assertEquals(1, generator.calls().size(), "B refreshed too: " + generator.calls());
  }
}

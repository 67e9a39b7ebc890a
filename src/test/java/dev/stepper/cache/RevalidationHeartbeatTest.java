package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.backoff;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.CountingLoader;
import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.report.ProviderChain;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import dev.stepper.cache.report.ReportProviders;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.RawRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.cache.Cache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A live worker keeps its job however long the work takes: while a generation, a plain load or a
 * refresh runs, its lease is renewed in the background, so another manager (standing in for
 * another JVM) reading all the while never takes it for dead and never starts the work again.
 * A worker that stops beating (its manager closed) is taken over once its lease runs out.
 */
@Timeout(60)
class RevalidationHeartbeatTest extends RevalidationTestBase {

  /** Short, so that work three times as long keeps the tests quick. */
  private static final Duration LEASE = Duration.ofMillis(600);
  private static final long WORK_MILLIS = 3 * LEASE.toMillis();
  private static final Duration READ_EVERY = Duration.ofMillis(100);
  private static final Duration WAIT = Duration.ofSeconds(20);

  static StaleWhileRevalidate policy(Duration lease) {
    return StaleWhileRevalidate.fresh(Duration.ofSeconds(30)).stale(Duration.ofMinutes(5))
        .lease(lease).backoff(backoff(Duration.ofSeconds(30)));
  }

  /**
   * The scenario of the issue, with the report cache as the application has it: lease 3 s, a
   * provider that needs 8 s (its timeout is 60 s), another manager reading every 200 ms.
   */
  @Test
  void aProviderSlowerThanTheLeaseIsCalledOnceWhileAnotherManagerReadsEvery200Ms() {
    AtomicInteger calls = new AtomicInteger();
    ReportProvider slow = ReportProviders.provider("slow", key -> {
      calls.incrementAndGet();
      TimeUnit.SECONDS.sleep(8);
      return "# Diary of " + key.sha();
    });
    StaleWhileRevalidate policy = policy(Duration.ofSeconds(3));
    ProviderChain chain = ProviderChain.of(Duration.ofSeconds(60), slow);
    ReportCache worker = ReportCache.create(fixture.separateManager(uri), policy, chain);
    ReportCache reader = ReportCache.create(fixture.separateManager(uri), policy, chain);
    ReportKey key = worker.buildCacheKey("user123", "shaabc");

    assertInstanceOf(Report.Dehydrated.class, worker.get(key));
    Report seen = readUntil(Duration.ofMillis(200), () -> reader.get(key),
        report -> report instanceof Report.Hydrated);

    assertEquals("# Diary of shaabc", ((Report.Hydrated) seen).content());
    assertEquals(1, calls.get(), "provider calls");
    System.out.printf("Heartbeat, report cache (lease 3 s, provider 8 s, reads every 200 ms):"
        + " %d provider call(s)%n", calls.get());
  }

  @Test
  void aGenerationThreeLeasesLongKeepsItsPlaceholderAndRunsOnce() {
    var generator = new Generator().answering((key, job, call) -> {
      TimeUnit.MILLISECONDS.sleep(WORK_MILLIS);
      return "generated";
    });
    Cache<String, String> worker = fixture.separateCache(uri, CACHE, config(policy(LEASE), generator));
    Cache<String, String> reader = fixture.separateCache(uri, CACHE, config(policy(LEASE), generator));

    assertTrue(isPending(worker.get("k")));
    readUntil(READ_EVERY, () -> reader.get("k"), "generated"::equals);

    assertEquals(1, generator.calls().size(), "generations: " + generator.calls());
  }

  @Test
  void aPlainLoadThreeLeasesLongRunsOnceWhileAnotherManagerWaitsForIt() throws Exception {
    var loader = new CountingLoader().answering((key, call) -> {
      TimeUnit.MILLISECONDS.sleep(WORK_MILLIS);
      return "loaded";
    });
    // The waiting manager's bound is the lease plus the command timeout: longer than the load.
    Cache<String, String> worker = fixture.separateCache(uri, CACHE, config(policy(LEASE), loader));
    Cache<String, String> reader = fixture.separateCache(uri, CACHE, config(policy(LEASE), loader));
    var load = CompletableFuture.supplyAsync(() -> worker.get("k"));
    Await.until(WAIT, "the load under way", () -> loader.calls() == 1);

    readUntil(READ_EVERY, () -> reader.get("k"), "loaded"::equals);

    assertEquals("loaded", load.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(1, loader.calls(), "loads");
  }

  @Test
  void aRefreshThreeLeasesLongRunsOnceWhileAnotherManagerServesTheStaleValue() {
    var generator = new Generator().answering((key, job, call) -> {
      if (call > 1) {
        TimeUnit.MILLISECONDS.sleep(WORK_MILLIS);
      }
      return "v" + call;
    });
    Cache<String, String> worker = fixture.separateCache(uri, CACHE, config(policy(LEASE), generator));
    Cache<String, String> reader = fixture.separateCache(uri, CACHE, config(policy(LEASE), generator));
    worker.get("k");
    Await.until(WAIT, "the first value", () -> "v1".equals(worker.get("k")));
    // Into the stale window: 30 s fresh of a 5 min 30 s lifetime have passed.
    raw.commands().pexpire(RawRedis.utf8(entryKey(prefix, "k")), Duration.ofMinutes(4).toMillis());

    assertEquals("v1", worker.get("k"), "the stale value, served while it refreshes");
    readUntil(READ_EVERY, () -> reader.get("k"), "v2"::equals);

    assertEquals(2, generator.calls().size(), "the first generation and one refresh: "
        + generator.calls());
  }

  @Test
  void aWorkerWhoseJvmIsKilledIsTakenOverOnceItsLeaseRunsOut() throws Exception {
    Process worker = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HangingWorker.class.getName(),
        uri.toString(), Long.toString(LEASE.toMillis()))
        .redirectErrorStream(true).start();
    try {
      awaitLine(worker, HangingWorker.STARTED);
      var generator = new Generator().answering((key, job, call) -> "taken over");
      Cache<String, String> reader = fixture.separateCache(uri, CACHE, config(policy(LEASE), generator));
      // The worker JVM beats: several leases pass without anyone taking its job.
      readFor(Duration.ofMillis(3 * LEASE.toMillis()), () -> reader.get("k"));
      assertEquals(0, generator.calls().size(), "taken for dead while beating");

      worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no goodbye
      long killed = System.nanoTime();
      readUntil(READ_EVERY, () -> reader.get("k"), "taken over"::equals);
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

      assertEquals(1, generator.calls().size(), "generations after the kill: " + generator.calls());
      System.out.printf("Heartbeat: a killed worker's job was taken over %d ms after the kill"
          + " (lease %d ms)%n", took, LEASE.toMillis());
    } finally {
      worker.destroyForcibly();
    }
  }

  /** Reads the process's output until a line equals the text, within {@link #WAIT}. */
  static void awaitLine(Process process, String text) throws Exception {
    var reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    var output = new StringBuilder();
    var seen = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.equals(text)) {
            return true;
          }
          output.append(line).append('\n');
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    assertTrue(seen.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
        "the worker JVM never printed " + text + ": " + output);
  }

  /** Reads at the pace until a read satisfies the test, failing after {@link #WAIT}. */
  private static <T> T readUntil(Duration pace, Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      pause(pace);
    }
    throw new AssertionError("no satisfying read within " + WAIT.toMillis() + " ms");
  }

  private static void readFor(Duration duration, Supplier<?> read) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() - end < 0) {
      read.get();
      pause(READ_EVERY);
    }
  }

  private static void pause(Duration pace) {
    try {
      TimeUnit.MILLISECONDS.sleep(pace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isFailed;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.report.ProviderChain;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import dev.stepper.cache.report.ReportProviders;
import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.EventRecorder.Seen;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.AclSetuserArgs;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.integration.CacheLoaderException;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Generation as a fleet, with managers on separate connections standing in for JVMs: jobs are
 * queued in Redis and run by whichever manager has workers; a manager without job threads only
 * serves and enqueues; a killed worker's job is taken from the queue by another, a closed one's is
 * handed back; the queue's bound and each provider's budget hold over all managers; and the Calls
 * MXBean shows what the calls cost.
 */
@Timeout(90)
class RevalidationFleetTest extends RevalidationTestBase {

  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static StaleWhileRevalidate policy() {
    return RevalidationHeartbeatTest.policy(LEASE);
  }

  private static StaleWhileRevalidate webOnly() {
    return policy().jobThreads(0);
  }

  private ReportCache reports(StaleWhileRevalidate policy, ProviderChain chain) {
    return ReportCache.create(fixture.separateManager(uri), policy, chain);
  }

  private static List<ReportKey> keys(ReportCache cache, int count) {
    List<ReportKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(cache.buildCacheKey("user" + i, "sha" + i));
    }
    return keys;
  }

  private static void awaitHydrated(ReportCache cache, List<ReportKey> keys) {
    Await.until(WAIT, "every report written",
        () -> keys.stream().allMatch(key -> cache.get(key) instanceof Report.Hydrated));
  }

  @Test
  void aWebManagerWithoutJobThreadsEnqueuesAndAWorkerManagerWritesTheReport() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ReportProvider provider = ReportProviders.provider("gemini", key -> {
      calls.incrementAndGet();
      return "# Diary of " + key.sha();
    });
    ProviderChain chain = ProviderChain.of(Duration.ofSeconds(10), provider);
    ReportCache web = reports(webOnly(), chain);
    ReportKey key = web.buildCacheKey("user123", "shaabc");

    assertInstanceOf(Report.Dehydrated.class, web.get(key));
    // Nothing works in the web manager: the job waits in Redis for a worker (the only sleep
    // here: what is checked is that nothing happens).
    TimeUnit.MILLISECONDS.sleep(500);
    assertEquals(0, calls.get(), "provider calls without a worker");
    assertInstanceOf(Report.Dehydrated.class, web.get(key));

    reports(policy(), chain);
    Await.until(WAIT, "the report, written by the worker",
        () -> web.get(key) instanceof Report.Hydrated);
    assertEquals("# Diary of shaabc", ((Report.Hydrated) web.get(key)).content());
    assertEquals(1, calls.get(), "provider calls");
  }

  /** A test body given the URI of a manager logged in as an ACL user. */
  private interface AsUser {
    void run(URI limited, List<CacheManager> managers) throws Exception;
  }

  /**
   * Runs the body as an ACL user limited to the key pattern and to the prefix's channels; the
   * managers it adds to the list are closed before the user is deleted (which disconnects them).
   */
  private void asAclUser(RedisEndpoint redis, String keyPattern, AsUser body) throws Exception {
    assumeFalse(redis.isShared(), "adds an ACL user: only on a Redis the tests started");
    String user = "u-" + prefix;
    String password = "pw-" + RedisEndpoint.uniquePrefix("acl");
    // ACLs are per node, not replicated: every node gets the user, replicas too.
    raw.nodes().forEach(node -> node.aclSetuser(user, AclSetuserArgs.Builder.on()
        .addPassword(password).keyPattern(keyPattern).channelPattern(prefix + ":*")
        .allCommands()));
    List<CacheManager> managers = new ArrayList<>();
    try {
      body.run(URI.create(redis.uri().getScheme() + "://" + user + ":" + password + "@"
          + redis.uri().getRawAuthority() + "?prefix=" + prefix), managers);
    } finally {
      managers.forEach(CacheManager::close);
      raw.nodes().forEach(node -> node.aclDeluser(user));
    }
  }

  @Test
  void anAclUserLimitedToThePrefixsKeysAndChannelsQueuesRunsAndBudgetsJobs(RedisEndpoint redis)
      throws Exception {
    asAclUser(redis, prefix + ":*", (limited, managers) -> {
      AtomicInteger calls = new AtomicInteger();
      ProviderChain chain = ProviderChain.of(Duration.ofSeconds(10),
          ReportProviders.provider("gemini", key -> "# Diary " + calls.incrementAndGet()))
          .withBudget(new Budget("gemini", 1, 10));
      managers.add(fixture.separateManager(limited));
      managers.add(fixture.separateManager(limited));
      ReportCache web = ReportCache.create(managers.get(0), webOnly(), chain);
      ReportCache.create(managers.get(1), policy(), chain);
      List<ReportKey> keys = keys(web, 3);

      keys.forEach(key -> assertInstanceOf(Report.Dehydrated.class, web.get(key)));
      awaitHydrated(web, keys);
      assertEquals(3, calls.get(), "provider calls");
    });
  }

  @Test
  void aMissWhoseJobCannotBeQueuedFailsAndLeavesNoPlaceholderBehind(RedisEndpoint redis)
      throws Exception {
    // The user may write the entries but not the queue: the placeholder's write applies, the
    // enqueue beside it is refused.
    asAclUser(redis, prefix + ":" + CACHE + ":*", (limited, managers) -> {
      managers.add(fixture.separateManager(limited));
      Cache<String, String> cache = managers.get(0).createCache(CACHE,
          config(webOnly(), new Generator()));
      // a put first, so that the server knows the write script and applies the miss's write at once
      cache.put("other", "written");

      var refused = assertThrows(javax.cache.CacheException.class, () -> cache.get("k"));

      assertTrue(refused.getMessage().contains("queueing its job"), refused.getMessage());
      assertNull(raw.get(entryKey(prefix, "k")), "no placeholder without a queued job");
    });
  }

  @Test
  void aJobWhoseWorkerIsKilledIsTakenFromTheQueueByAnotherWithNobodyReading() throws Exception {
    Process hanging = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HangingWorker.class.getName(),
        uri.toString(), Long.toString(LEASE.toMillis()))
        .redirectErrorStream(true).start();
    try {
      RevalidationHeartbeatTest.awaitLine(hanging, HangingWorker.STARTED);
      var generator = new Generator().answering((key, job, call) -> "taken over");
      fixture.separateCache(uri, CACHE, config(policy(), generator));
      // The hanging JVM beats: three leases pass without this worker taking its message.
      TimeUnit.MILLISECONDS.sleep(3 * LEASE.toMillis());
      assertEquals(0, generator.calls().size(), "taken while its worker beats");

      hanging.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no hand-back
      long killed = System.nanoTime();
      Await.until(WAIT, "the job taken over from the queue",
          () -> "taken over".equals(text(raw, entryKey(prefix, "k"))));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

      assertEquals(1, generator.calls().size(), "generations: " + generator.calls());
      assertFalse(generator.calls().get(0).refresh());
      System.out.printf("Fleet: a killed worker's queued job was taken over by another %d ms"
          + " after the kill, nobody reading (lease %d ms)%n", took, LEASE.toMillis());
    } finally {
      hanging.destroyForcibly();
    }
  }

  @Test
  void aWorkerClosedMidJobHandsItBackAndAnotherFinishesItWithoutAFailure() throws Exception {
    var generator = new Generator().answering((key, job, call) -> {
      if (call == 1) {
        gate.pass(); // never opened: closing the manager interrupts it
      }
      return "finished by call " + call;
    });
    // A lease longer than the test waits: only a hand-back, not a takeover, finishes it in time.
    StaleWhileRevalidate policy = RevalidationHeartbeatTest.policy(Duration.ofMinutes(1));
    CacheManager leaving = fixture.separateManager(uri);
    Cache<String, String> first = leaving.createCache(CACHE, config(policy, generator));
    assertTrue(isPending(first.get("k")));
    Await.until(WAIT, "the job under way", () -> generator.calls().size() == 1);
    Cache<String, String> staying = fixture.separateCache(uri, CACHE, config(policy, generator));
    EventRecorder events = EventRecorder.registerOn(staying);

    assertTimeoutPreemptively(Duration.ofSeconds(15), leaving::close, "closing the manager");
    Await.until(WAIT, "the job finished by the other manager, nobody reading",
        () -> "finished by call 2".equals(text(raw, entryKey(prefix, "k"))));

    assertEquals(2, generator.calls().size(), "generations: " + generator.calls());
    assertEquals(generator.calls().get(0).jobId(), generator.calls().get(1).jobId(),
        "the same job, handed back");
    assertEquals(1, generator.calls().get(1).attempt(), "handing back is no failed attempt");
    List<Seen> seen = new ArrayList<>();
    for (Seen event = events.next(); event != null; event = events.next()) {
      seen.add(event);
      if ("finished by call 2".equals(event.value())) {
        break;
      }
    }
    assertTrue(seen.stream().noneMatch(event -> isFailed(event.value())),
        "no failure record, ever: " + seen);
    assertEquals("finished by call 2", staying.get("k"));
  }

  @Test
  void theQueueBoundHoldsOverAllManagers() throws Exception {
    var generator = new Generator();
    StaleWhileRevalidate web = webOnly().jobQueue(3);
    Cache<String, String> one = fixture.separateCache(uri, CACHE, config(web, generator));
    Cache<String, String> two = fixture.separateCache(uri, CACHE, config(web, generator));
    assertTrue(isPending(one.get("a")));
    assertTrue(isPending(two.get("b")));
    assertTrue(isPending(one.get("c")));

    var full = assertThrows(CacheLoaderException.class, () -> two.get("d"));
    assertTrue(full.getMessage().contains("holds 3 jobs") && full.getMessage().contains("job-queue"),
        full.getMessage());
    assertThrows(CacheLoaderException.class, () -> one.get("e"));
    assertNull(raw.get(entryKey(prefix, "d")), "a refused job leaves no placeholder behind");

    fixture.separateCache(uri, CACHE, config(policy(), generator));
    Await.until(WAIT, "the queued jobs run", () -> List.of("a", "b", "c").stream()
        .allMatch(key -> !isPending(one.get(key))));
    assertTrue(isPending(two.get("d")), "room again once workers took the queue");
  }

  @Test
  void aBudgetOfTwoCallsAtOnceHoldsOverThreeManagersOfFourThreads() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    ReportProvider provider = ReportProviders.provider("gemini", key -> {
      calls.incrementAndGet();
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } finally {
        inFlight.decrementAndGet();
      }
      return "# Diary of " + key.sha();
    });
    ProviderChain chain = ProviderChain.of(Duration.ofSeconds(10), provider)
        .withBudget(new Budget("gemini", 2, 0));
    for (int worker = 0; worker < 3; worker++) {
      reports(policy().jobThreads(4), chain);
    }
    ReportCache web = reports(webOnly(), chain);
    List<ReportKey> keys = keys(web, 30);

    keys.forEach(key -> assertInstanceOf(Report.Dehydrated.class, web.get(key)));
    awaitHydrated(web, keys);

    assertEquals(2, most.get(), "most provider calls at once, as the provider saw them");
    assertEquals(30, calls.get(), "provider calls");
    System.out.printf("Fleet: max-concurrent 2 over 3 managers x 4 threads, 30 jobs: %d provider"
        + " calls, at most %d at once%n", calls.get(), most.get());
  }

  @Test
  void aRateOfThreeCallsPerSecondHoldsOverThreeManagersOfFourThreads() {
    List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    ReportProvider provider = ReportProviders.provider("cohere", key -> {
      starts.add(System.nanoTime());
      return "# Diary of " + key.sha();
    });
    ProviderChain chain = ProviderChain.of(Duration.ofSeconds(10), provider)
        .withBudget(new Budget("cohere", 0, 3, Duration.ofSeconds(1)));
    for (int worker = 0; worker < 3; worker++) {
      reports(policy().jobThreads(4), chain);
    }
    ReportCache web = reports(webOnly(), chain);
    List<ReportKey> keys = keys(web, 12);

    keys.forEach(key -> assertInstanceOf(Report.Dehydrated.class, web.get(key)));
    awaitHydrated(web, keys);

    assertEquals(12, starts.size(), "provider calls");
    List<Long> sorted = new ArrayList<>(starts);
    Collections.sort(sorted);
    long tightest = Long.MAX_VALUE;
    for (int i = 0; i + 3 < sorted.size(); i++) {
      tightest = Math.min(tightest, TimeUnit.NANOSECONDS.toMillis(sorted.get(i + 3) - sorted.get(i)));
    }
    // Redis counts by its own clock; the provider starts a few milliseconds after its grant.
    assertTrue(tightest >= 950, "4 calls within " + tightest + " ms");
    System.out.printf("Fleet: rate 3 per second over 3 managers x 4 threads, 12 jobs: %d provider"
        + " calls, 4 consecutive calls spanning at least %d ms%n", starts.size(), tightest);
  }

  @Test
  void theCallsMxBeanShowsCallsFailuresTimeoutsRefusalsAndTheQueue() throws Exception {
    ReportProvider provider = ReportProviders.provider("gemini", key -> {
      switch (key.user()) {
        case "bad" -> throw new IllegalStateException("quota exceeded");
        case "slow" -> TimeUnit.SECONDS.sleep(5);
        default -> gate.pass();
      }
      return "# Diary of " + key.sha();
    });
    ProviderChain chain = ProviderChain.of(Duration.ofSeconds(1), provider)
        .withBudget(new Budget("gemini", 1, 0));
    ReportCache worker = reports(policy().jobThreads(2), chain);
    ReportCache web = reports(webOnly(), chain);
    List<ReportKey> held = keys(web, 4);

    held.forEach(web::get);
    String name = uri.toString().replaceAll("[,:=\n]", ".");
    Await.until(WAIT, "one call in flight, one waiting for the budget, two jobs queued",
        () -> calls(name, "CallsInFlight") == 1 && calls(name, "BudgetCallsInFlight") == 1
            && calls(name, "RefusedByBudget") == 1 && calls(name, "QueueLength") == 2);
    Await.until(WAIT, "the oldest queued job ageing", () -> calls(name, "OldestQueuedAgeMillis") > 0);

    gate.open();
    awaitHydrated(web, held);
    web.get(web.buildCacheKey("bad", "sha"));
    web.get(web.buildCacheKey("slow", "sha"));
    Await.until(WAIT, "the failed and the timed-out call",
        () -> calls(name, "Calls") == 6 && calls(name, "CallsInFlight") == 0);

    assertEquals(2, calls(name, "Failures"), "failures, the timeout included");
    assertEquals(1, calls(name, "Timeouts"));
    assertEquals(0, calls(name, "BudgetCallsInFlight"));
    assertEquals(0, calls(name, "QueueLength"));
    assertTrue(calls(name, "MaxLatencyMillis") >= 1000, "the timeout's latency");
    assertTrue(calls(name, "AverageLatencyMillis") > 0);
    assertFalse(worker.getReportCache().isClosed());
  }

  /**
   * @param manager the manager's URI as its MXBeans name it
   * @return an attribute of the gemini budget's Calls MXBean, or -2 before the first call
   *     registers it
   */
  private static long calls(String manager, String attribute) {
    var server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName name : server.queryNames(
          new ObjectName("dev.stepper.cache:type=Calls,Cache=report,Budget=gemini,*"), null)) {
        String property = name.getKeyProperty("CacheManager");
        if (manager.equals(property.startsWith("\"") ? ObjectName.unquote(property) : property)) {
          return ((Number) server.getAttribute(name, attribute)).longValue();
        }
      }
      return -2;
    } catch (JMException e) {
      throw new AssertionError("cannot read " + attribute, e);
    }
  }
}

package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each cache operation costs the server, counted by Redis itself ({@code INFO commandstats}
 * on a private {@code redis-server}, reset before each measurement): one command per call (a bulk
 * call on one server is one command for all its keys) when the expiry policy is one of the five
 * constant {@code javax.cache.expiry} policies, a probe more for any other policy, and no event
 * traffic at all unless another manager listens. While nobody listens, a put of an entry whose
 * time-to-live does not depend on what it replaces is a plain {@code SET} (a put of many, on one
 * server and eternal, one {@code MSET}) rather than a run of the write script.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(30)
class RoundTripCommandCountTest {

  /**
   * Commands only the write script runs, and SET, which a put sends itself only while nobody
   * listens (tested apart); elsewhere the cache never sends them.
   */
  private static final Set<String> SCRIPT_ONLY = Set.of("pubsub|numsub", "set", "del", "publish",
      "pexpire", "persist", "time");

  @RegisterExtension
  static final PrivateRedis redis = new PrivateRedis(
      "command counts need a private redis-server on PATH: other clients would pollute them");

  private final ManagerFixture fixture = new ManagerFixture();
  private String prefix;
  private URI uri;
  private CacheManager managerA;
  private Cache<String, String> cacheA;

  @BeforeEach
  void openManager() {
    prefix = RedisEndpoint.uniquePrefix("round-trips");
    uri = redis.endpoint().uriWithPrefix(prefix);
    managerA = fixture.separateManager(uri);
    cacheA = warmedUp(managerA.createCache("c", StringCaches.config()));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  // ------------------------------------------------------------- default (eternal) policy

  @Test
  void putWhileNobodyListensIsOnePlainSetOrAScriptRunThatRenewsTheQuietLease() {
    int puts = 20;
    long start = System.nanoTime();
    Map<String, Long> calls = callsOf(() -> {
      for (int i = 0; i < puts; i++) {
        cacheA.put("k", "v" + i);
      }
    });
    long scripts = assertScriptRunsRenewedTheLease(calls, start);
    // a script run checks the entry, stores it and asks who listens; a plain put is one SET
    assertEquals(counts("evalsha", scripts, "exists", scripts, "pubsub|numsub", scripts,
        "set", puts), calls);
  }

  @Test
  void getIsOneGet() {
    cacheA.put("k", "v");
    assertSent(Map.of("get", 1L), callsOf(() -> cacheA.get("k")));
    assertSent(Map.of("get", 1L), callsOf(() -> cacheA.get("absent")));
  }

  @Test
  void containsKeyIsOneExists() {
    assertSent(Map.of("exists", 1L), callsOf(() -> cacheA.containsKey("k")));
  }

  @Test
  void removeIsOneScriptCall() {
    cacheA.put("k", "v");
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cacheA.remove("k")));
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cacheA.remove("k")));
  }

  @Test
  void conditionalWritesAreOneScriptCallEach() {
    cacheA.put("k", "v");
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cacheA.putIfAbsent("k", "other")));
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cacheA.replace("k", "v", "w")));
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cacheA.getAndPut("k", "x")));
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cacheA.getAndRemove("k")));
  }

  @Test
  void invokeIsOneGetAndOneCompareAndSet() {
    cacheA.put("k", "v");
    assertSent(Map.of("get", 1L, "evalsha", 1L),
        callsOf(() -> cacheA.invoke("k", StringCaches::appendBang)));
  }

  @Test
  void invokeOnAnAbsentEntryRunsUnderALease() {
    cacheA.invoke("warm", StringCaches::appendBang); // the server learns the lease script
    // read, take the lease, read again (what its last holder left), write, give the lease back
    assertSent(Map.of("get", 2L, "evalsha", 3L),
        callsOf(() -> cacheA.invoke("absent", StringCaches::appendBang)));
  }

  @Test
  void getAllOfSixteenKeysIsOneMget() {
    // One server holds every key, so one command carries them all (one per key on a cluster).
    Map<String, String> entries = sixteenEntries();
    cacheA.putAll(entries);
    assertEquals(Map.of("mget", 1L), callsOf(() -> cacheA.getAll(entries.keySet())));
  }

  @Test
  void putAllOfSixteenKeysWhileNobodyListensIsOneMsetOrOneScriptRun() {
    // The script asks who listens (PUBSUB NUMSUB, once), then per entry whether it exists and SET.
    int calls = 10;
    long start = System.nanoTime();
    Map<String, Long> counted = callsOf(() -> {
      for (int i = 0; i < calls; i++) {
        cacheA.putAll(sixteenEntries());
      }
    });
    long scripts = assertScriptRunsRenewedTheLease(counted, start);
    assertEquals(counts("mset", calls - scripts, "evalsha", scripts, "pubsub|numsub", scripts,
        "exists", 16 * scripts, "set", 16 * scripts), counted);
  }

  // ---------------------------------------------------------------------------- events

  @Test
  void writesPublishNothingWhileNobodyListens() {
    cacheA.put("k", "v");
    Map<String, Long> calls = callsOf(() -> {
      cacheA.put("k", "v2");
      cacheA.put("new", "v");
      cacheA.putAll(sixteenEntries());
      cacheA.replace("k", "v2", "v3");
      cacheA.invoke("k", StringCaches::appendBang);
      cacheA.remove("k");
      cacheA.removeAll(sixteenEntries().keySet());
    });
    assertEquals(0L, calls.getOrDefault("publish", 0L), calls.toString());
  }

  @Test
  void aListenerOnAnotherManagerCostsOnePublishPerChangeAndNoExtraRoundTrip() {
    EventRecorder.registerOn(fixture.separateCache(uri, "c", StringCaches.config()));

    Map<String, Long> put = callsOf(() -> cacheA.put("k", "v"));
    assertSent(Map.of("evalsha", 1L), put);
    assertEquals(1L, put.get("publish"), put.toString());

    Map<String, Long> update = callsOf(() -> cacheA.put("k", "v2"));
    assertEquals(1L, update.get("publish"), update.toString());

    Map<String, Long> remove = callsOf(() -> cacheA.remove("k"));
    assertSent(Map.of("evalsha", 1L), remove);
    assertEquals(1L, remove.get("publish"), remove.toString());
  }

  @Test
  void aListenerOnTheWritingManagerItselfCostsOnePublishInTheSameScript() {
    // Its own listener is served in-process; the echo is skipped by origin. Not subtracting
    // oneself from NUMSUB keeps a reconnecting subscriber from costing another JVM its events.
    EventRecorder.registerOn(cacheA);

    Map<String, Long> calls = callsOf(() -> cacheA.put("k", "v"));
    assertSent(Map.of("evalsha", 1L), calls);
    assertEquals(1L, calls.getOrDefault("publish", 0L), calls.toString());
  }

  @Test
  void writesPublishNothingAgainOnceTheOtherManagerDeregisters() {
    Cache<String, String> cacheB = fixture.separateCache(uri, "c", StringCaches.config());
    var listener = EventRecorder.registerOn(cacheB);
    assertEquals(1L, callsOf(() -> cacheA.put("k", "v")).get("publish"));

    cacheB.deregisterCacheEntryListener(listener.configuration());

    Map<String, Long> calls = callsOf(() -> cacheA.put("k", "v2"));
    assertEquals(0L, calls.getOrDefault("publish", 0L), calls.toString());
  }

  @Test
  void aListenerOnAnotherCacheCostsThisCacheNothing() {
    EventRecorder.registerOn(fixture.separateCache(uri, "other", StringCaches.config()));

    Map<String, Long> calls = callsOf(() -> cacheA.put("k", "v"));
    assertEquals(0L, calls.getOrDefault("publish", 0L), calls.toString());
  }

  @Test
  void anyRedisSubscriberOfPrefixColonCacheNameIsAnAudience() throws InterruptedException {
    // The channel is part of the contract with non-Java consumers: <prefix>:<cache name>. Such a
    // subscriber hears the writes that start 100 ms after it subscribed (see Audience): a writer
    // may trust for that long its last finding that nobody listens.
    String channel = prefix + ":c";
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    try (var subscriber = redis.raw().subscriber()) {
      subscriber.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(byte[] from, byte[] message) {
          messages.add(new String(message, StandardCharsets.UTF_8));
        }
      });
      subscriber.sync().subscribe(RawRedis.utf8(channel));
      TimeUnit.MILLISECONDS.sleep(100); // the documented delay itself, not a wait for a state

      Map<String, Long> calls = callsOf(() -> cacheA.put("k", "v"));
      assertEquals(1L, calls.get("publish"), calls.toString());
      String message = messages.poll(EventRecorder.AWAIT_MILLIS, TimeUnit.MILLISECONDS);
      assertTrue(message != null && message.startsWith("c") && message.contains(channel + ":k"),
          "message on " + channel + ": " + message);
    }
  }

  // ---------------------------------------------------------------------- expiry policies

  @Test
  void aConstantExpiryPolicyKeepsPutAtOneScriptCall() {
    var config = StringCaches.config();
    config.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_MINUTE));
    Cache<String, String> cache = warmedUp(managerA.createCache("created", config));

    assertSent(Map.of("evalsha", 1L), callsOf(() -> cache.put("k", "v")));
    assertSent(Map.of("get", 1L), callsOf(() -> cache.get("k")));
  }

  @Test
  void aTouchedExpiryPolicyMakesGetOneScriptCallInsteadOfAGet() {
    // The access verdict is known in advance, so the read and the new time-to-live go together.
    var config = StringCaches.config();
    config.setExpiryPolicyFactory(TouchedExpiryPolicy.factoryOf(Duration.ONE_MINUTE));
    Cache<String, String> cache = warmedUp(managerA.createCache("touched", config));
    cache.put("k", "v");

    assertSent(Map.of("evalsha", 1L), callsOf(() -> cache.get("k")));
    assertSent(Map.of("evalsha", 1L), callsOf(() -> cache.getAll(sixteenEntries().keySet())),
        16);
  }

  @Test
  void aCustomExpiryPolicyCostsPutAProbeAndAWrite() {
    // A policy outside javax.cache.expiry may answer differently each time, so the cache must
    // learn whether the entry exists before asking it: that is the probe.
    var config = StringCaches.config();
    config.setExpiryPolicyFactory(FactoryBuilder.factoryOf(new TenMinutesFromCreation()));
    Cache<String, String> cache = warmedUp(managerA.createCache("custom", config));

    assertSent(Map.of("evalsha", 2L), callsOf(() -> cache.put("k", "v")));
    assertSent(Map.of("evalsha", 2L), callsOf(() -> cache.put("k", "v2")));
  }

  // --------------------------------------------------------------- stale-while-revalidate

  @Test
  void aMissIsAReadThenItsPlaceholderAndItsJobSentTogether() {
    // A manager without job threads, so that no worker's polling shows in the count.
    var generator = new RevalidationFixture.Generator();
    var config = RevalidationFixture.config(RevalidationFixture.longWindows().jobThreads(0),
        generator);
    Cache<String, String> cache = managerA.createCache("swr", config);
    cache.get("warm-up"); // loads the read, write and queue scripts, and makes the queue

    Map<String, Long> calls = callsOf(() -> cache.get("k"));

    // Two round trips: the read script, then the write script and the queue script in one
    // pipeline (JobQueue.writeAndEnqueue); everything else is what those scripts run.
    assertEquals(3L, calls.get("evalsha"), "script calls: " + calls);
    Map<String, Long> sent = new TreeMap<>(calls);
    sent.keySet().removeAll(Set.of("evalsha", "get", "pttl", "xadd", "xlen", "xpending",
        "xgroup|create", "exists"));
    sent.keySet().removeAll(SCRIPT_ONLY);
    assertEquals(Map.of(), sent, "commands outside the three scripts: " + calls);
    assertEquals(0, generator.calls().size(), "nothing generated here: a worker's job");
    System.out.printf("Round trips: a stale-while-revalidate miss, 2 round trips, ran %s%n",
        calls);
  }

  // ------------------------------------------------------------------------------ helpers

  /** Connects the manager and loads the write script, so that neither shows in a count. */
  private static Cache<String, String> warmedUp(Cache<String, String> cache) {
    cache.put("warm-up", "v");
    cache.get("warm-up");
    cache.remove("warm-up");
    return cache;
  }

  /**
   * Asserts that the write script ran no more often than the quiet lease allows: a run that finds
   * nobody listening lets the writes of the next 100 ms go as plain commands, and one write renews
   * it once 75 ms have passed, so calls made one after another within {@code elapsed} ms run it at
   * most once per 75 ms, plus once.
   *
   * @return how often it ran
   */
  private static long assertScriptRunsRenewedTheLease(Map<String, Long> calls, long startNanos) {
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    long scripts = calls.getOrDefault("evalsha", 0L);
    assertTrue(scripts <= 1 + elapsedMillis / 75,
        scripts + " script runs in " + elapsedMillis + " ms: " + calls);
    return scripts;
  }

  /** @return the counts given as name, count, ..., without the zeros, as commandstats shows them */
  private static Map<String, Long> counts(Object... namesAndCounts) {
    Map<String, Long> counts = new TreeMap<>();
    for (int i = 0; i < namesAndCounts.length; i += 2) {
      long count = ((Number) namesAndCounts[i + 1]).longValue();
      if (count != 0) {
        counts.put((String) namesAndCounts[i], count);
      }
    }
    return counts;
  }

  private static Map<String, Long> callsOf(Runnable action) {
    redis.raw().resetStats();
    action.run();
    return redis.raw().commandCalls();
  }

  /** {@link #assertSent(Map, Map, long)} where each script call handles one entry. */
  private static void assertSent(Map<String, Long> expected, Map<String, Long> calls) {
    assertSent(expected, calls, calls.getOrDefault("evalsha", 0L)
        + calls.getOrDefault("eval", 0L));
  }

  /**
   * Asserts which commands the cache sent, telling them apart from those its scripts ran, which
   * Redis counts too: commands only the script runs are left out, and since the script begins
   * with exactly one GET or EXISTS of each entry it handles, those are too.
   *
   * @param scriptEntries how many entries the script calls handled in all
   */
  private static void assertSent(Map<String, Long> expected, Map<String, Long> calls,
      long scriptEntries) {
    Map<String, Long> sent = new TreeMap<>(calls);
    sent.keySet().removeAll(SCRIPT_ONLY);
    long scriptRuns = scriptEntries;
    for (String read : new String[] {"exists", "get"}) {
      long ran = Math.min(scriptRuns, sent.getOrDefault(read, 0L));
      sent.merge(read, -ran, Long::sum);
      scriptRuns -= ran;
    }
    sent.values().removeIf(count -> count == 0);
    assertEquals(0, scriptRuns, "scripts that read nothing? " + calls);
    assertEquals(new TreeMap<>(expected), sent, "all commands counted: " + calls);
  }

  private static Map<String, String> sixteenEntries() {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < 16; i++) {
      entries.put("key-" + i, "value-" + i);
    }
    return entries;
  }
}

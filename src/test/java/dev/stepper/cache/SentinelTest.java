package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisSentinel;
import dev.stepper.cache.testing.RedisServerProcess;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that a manager on a {@code redis-sentinel://} URI works on the master the Sentinels name
 * and follows it through a failover, whether the Sentinels are told to fail over or the master is
 * killed: under load from 8 threads no call hangs, every failure is a {@link CacheException}, every
 * thread succeeds again within 10 s of the new master's election, writes then land on the new
 * master, and closing the manager leaves no thread of the provider or of Lettuce behind. The
 * recovery times are printed for the record.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class SentinelTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  /** The timeout plus the connector's 1 s grace and some slack: only catches a hang. */
  private static final Duration CALL_BOUND = TIMEOUT.plusSeconds(2);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
  /** Sentinels notice a dead master after 1 s, then agree and promote the replica. */
  private static final Duration ELECTION_BOUND = Duration.ofSeconds(15);
  private static final Duration LISTENER_BOUND = Duration.ofSeconds(4);
  private static final int THREADS = 8;
  private static final Pattern PROVIDER_THREAD = Pattern.compile("(?i)lettuce|stepper-cache");
  private static final String NEEDS_SERVER =
      "redis-server is not on PATH: these tests start a master, a replica and three Sentinels";

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void cleanUp() {
    fixture.close();
  }

  @Test
  void cacheWorksOnTheMasterTheSentinelsName() {
    // Nothing here disturbs the deployment, so an environment's Sentinels will do.
    URI sentinels = RedisSentinel.fromEnvironment().orElseGet(() -> {
      assumeTrue(RedisSentinel.isAvailable(), NEEDS_SERVER);
      return fixture.own(RedisSentinel.start()).uri();
    });
    Cache<String, String> cache = fixture.manager(withParameters(sentinels, "basic"))
        .createCache("basic", StringCaches.config());

    cache.put("a", "1");
    cache.putAll(Map.of("b", "2", "c", "3"));
    assertEquals("1", cache.get("a"));
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), cache.getAll(Set.of("a", "b", "c", "d")));
    Map<String, String> iterated = new HashMap<>();
    cache.forEach(entry -> iterated.put(entry.getKey(), entry.getValue()));
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), iterated);
    cache.invoke("a", StringCaches::appendBang);
    assertEquals("1!", cache.get("a"));
    assertTrue(cache.remove("b"));
    assertNull(cache.get("b"));
    assertFalse(cache.containsKey("b"));
  }

  @Test
  void sentinelFailoverUnderLoadFailsNoCallSlowlyAndRecovers() throws Exception {
    survivesLosingTheMaster("failover", RedisSentinel::failover, false);
  }

  @Test
  void killedMasterUnderLoadFailsCallsFastAndRecoversOnThePromotedReplica() throws Exception {
    // SIGKILL: the master vanishes without a word, as in a crash.
    survivesLosingTheMaster("kill", sentinel -> sentinel.master().stop(), true);
  }

  @Test
  void listenersHearOtherManagersSoonAfterAFailover() throws Exception {
    assumeTrue(RedisSentinel.isAvailable(), NEEDS_SERVER);
    RedisSentinel sentinel = fixture.own(RedisSentinel.start());
    URI uri = withParameters(sentinel.uri(), "listen");
    Cache<String, String> writer = fixture.separateCache(uri, "listen", StringCaches.config());
    Cache<String, String> listening = fixture.separateCache(uri, "listen", StringCaches.config());
    EventRecorder heard = EventRecorder.registerOn(listening);
    writer.put("before", "v");
    assertEquals("before", heard.next().key());

    int oldMaster = sentinel.masterPort();
    sentinel.failover();
    long elected = sentinel.awaitNewMaster(oldMaster, ELECTION_BOUND).namedAtNanos();
    long[] writes = {0};
    // Well below the ~10 s after which the Sentinels demote the old master, which would end its
    // connections anyway: a manager must follow the switch, not wait for that.
    Await.until(LISTENER_BOUND, "an event of a write on the new master", () -> {
      String key = "after-" + writes[0]++;
      try {
        writer.put(key, "v");
      } catch (CacheException e) {
        return false;
      }
      return heard.holds(key);
    });
    System.out.printf("SentinelTest listen: events heard again %d ms after the election%n",
        millis(System.nanoTime() - elected));
  }

  private void survivesLosingTheMaster(String name, Trigger trigger, boolean failuresExpected)
      throws Exception {
    assumeTrue(RedisSentinel.isAvailable(), NEEDS_SERVER);
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    RedisSentinel sentinel = fixture.own(RedisSentinel.start());
    CacheManager manager = fixture.managerOnPrivateServer(withParameters(sentinel.uri(), name));
    Cache<String, String> cache = manager.createCache(name, StringCaches.config());
    // Connected before the load starts: the bound on calls is about failovers, not a cold start.
    cache.put("warm", "up");
    Load load = fixture.own(new Load(THREADS, Load.putsAndGets(cache, 500)));
    long started = System.nanoTime();
    Await.until(RECOVERY_BOUND, "every thread to succeed once", () -> load.allSucceededSince(started));

    int oldMaster = sentinel.masterPort();
    long triggered = System.nanoTime();
    trigger.apply(sentinel);
    RedisSentinel.Election election = sentinel.awaitNewMaster(oldMaster, ELECTION_BOUND);
    long elected = election.namedAtNanos();

    Await.until(RECOVERY_BOUND.plusSeconds(1), "every thread to succeed after the election",
        () -> load.allSucceededSince(elected));
    // A thread that never noticed the failover may still be writing to the old master.
    RedisServerProcess newMaster = election.master();
    long onNewMaster;
    try (RawRedis raw = new RawRedis(newMaster.uri())) {
      onNewMaster = Await.success(RECOVERY_BOUND, () -> {
        String probe = "probe-" + System.nanoTime();
        cache.put(probe, "v");
        assertFalse(raw.keys("*:" + name + ":*" + probe + "*").isEmpty(),
            probe + " is not on the new master " + newMaster);
        return System.nanoTime();
      });
    }
    List<Load.Call> calls = load.stop();

    assertEquals(List.of(), calls.stream().map(Load.Call::failure)
        .filter(failure -> failure != null && !(failure instanceof CacheException))
        .map(Throwable::toString).distinct().toList(), "failures other than CacheException");
    long longest = calls.stream().mapToLong(Load.Call::nanos).max().orElseThrow();
    assertTrue(longest < CALL_BOUND.toNanos(), "a call took " + millis(longest) + " ms");
    List<Long> recoveries = IntStream.range(0, THREADS)
        .mapToObj(thread -> millis(load.firstSuccessSince(thread, elected) - elected)).toList();
    recoveries.forEach(recovery -> assertTrue(recovery < RECOVERY_BOUND.toMillis(),
        "a thread succeeded only " + recovery + " ms after the election: " + recoveries));
    List<Long> failures = IntStream.range(0, THREADS).mapToObj(thread -> calls.stream()
        .filter(call -> call.thread() == thread && call.failure() != null).count()).toList();
    if (failuresExpected) {
      assertTrue(failures.stream().allMatch(count -> count > 0), "a thread saw no failure while"
          + " there was no master: " + failures);
    }
    assertTrue(onNewMaster - elected < RECOVERY_BOUND.toNanos(), "writes reached the new master"
        + " only " + millis(onNewMaster - elected) + " ms after the election");
    System.out.printf("SentinelTest %s: election %d ms after the trigger; first success per"
            + " thread %s ms after it; writes on the new master after %d ms; failures"
            + " per thread %s; longest call %d ms%n",
        name, millis(elected - triggered), recoveries, millis(onNewMaster - elected), failures,
        millis(longest));

    // Else the check below could pass by not seeing them.
    assertFalse(leftThreads(threadsBefore).isEmpty(), "no Lettuce thread while the manager is open");
    fixture.close();
    // The Lettuce resources are shared by managers, and shut down when the last one closes.
    Await.until(Duration.ofSeconds(3), "no thread of the provider or Lettuce left", () ->
        leftThreads(threadsBefore).isEmpty());
  }

  private static List<String> leftThreads(Set<Thread> before) {
    Set<Thread> now = new HashSet<>(Thread.getAllStackTraces().keySet());
    now.removeAll(before);
    return now.stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> PROVIDER_THREAD.matcher(n).find()).toList();
  }

  private static URI withParameters(URI sentinels, String hint) {
    String uri = sentinels.toString();
    return URI.create(uri + (uri.contains("?") ? "&" : "?") + "prefix="
        + RedisEndpoint.uniquePrefix(hint) + "&timeout=" + TIMEOUT.toMillis() + "ms");
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @FunctionalInterface
  private interface Trigger {
    void apply(RedisSentinel sentinel);
  }
}

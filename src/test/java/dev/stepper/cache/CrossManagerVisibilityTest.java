package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two cache managers with separate connections (two JVMs, as far as Redis can tell) see one
 * another's entries at once, and their conditional writes stay atomic when they race: each is a
 * single script in Redis, not a read in Java followed by a write.
 */
@RedisTest
@Timeout(30)
class CrossManagerVisibilityTest {

  private static final int THREADS = 8;
  private static final int ROUNDS = 20;

  private final ManagerFixture fixture = new ManagerFixture();
  private URI uri;
  private String prefix;
  private Cache<String, String> cacheA;
  private Cache<String, String> cacheB;
  private Race race;

  @BeforeEach
  void openTwoManagers(RedisEndpoint redis) {
    prefix = RedisEndpoint.uniquePrefix("visibility");
    uri = redis.uriWithPrefix(prefix);
    cacheA = fixture.separateCache(uri, "shared", StringCaches.config());
    cacheB = fixture.separateCache(uri, "shared", StringCaches.config());
    race = fixture.own(new Race(THREADS, Duration.ofSeconds(20)));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void putThroughAIsReadThroughB() {
    cacheA.put("k", "from A");
    cacheA.putAll(Map.of("k1", "one", "k2", "two"));

    assertEquals("from A", cacheB.get("k"));
    assertTrue(cacheB.containsKey("k"));
    assertEquals(Map.of("k1", "one", "k2", "two"), cacheB.getAll(Set.of("k1", "k2", "absent")));
  }

  @Test
  void removeThroughBIsSeenByA() {
    cacheA.put("k", "v");
    assertEquals("v", cacheA.get("k"));

    assertTrue(cacheB.remove("k"));

    assertNull(cacheA.get("k"));
    assertFalse(cacheA.containsKey("k"));
    assertFalse(cacheA.remove("k"), "A removed what B had already removed");
  }

  @Test
  void updatesAlternatingBetweenManagersAreEachSeenByTheOther() {
    cacheA.put("k", "a1");
    assertEquals("a1", cacheB.getAndPut("k", "b1"));
    assertEquals("b1", cacheA.getAndReplace("k", "a2"));
    assertTrue(cacheB.replace("k", "a2", "b2"));
    assertEquals("b2", cacheA.getAndRemove("k"));
    assertFalse(cacheB.containsKey("k"));
  }

  @Test
  void putIfAbsentRacesAcrossManagersHaveExactlyOneWinner() throws Exception {
    for (String key : raceKeys()) {
      List<Boolean> won = race.run(thread ->
          cacheOf(thread).putIfAbsent(key, "thread-" + thread));

      int winner = onlyWinner(key, won);
      assertEquals("thread-" + winner, cacheA.get(key));
      assertEquals("thread-" + winner, cacheB.get(key));
    }
  }

  @Test
  void replaceOfOneOldValueRacingAcrossManagersHasExactlyOneWinner() throws Exception {
    for (String key : raceKeys()) {
      cacheA.put(key, "original");
      List<Boolean> won = race.run(thread ->
          cacheOf(thread).replace(key, "original", "thread-" + thread));

      assertEquals("thread-" + onlyWinner(key, won), cacheB.get(key));
    }
  }

  @Test
  void getAndRemoveRacingAcrossManagersHandsTheValueToExactlyOneCaller() throws Exception {
    for (String key : raceKeys()) {
      cacheB.put(key, "prize");
      List<String> got = race.run(thread -> cacheOf(thread).getAndRemove(key));

      assertEquals(1, got.stream().filter("prize"::equals).count(), key + ": " + got);
      assertEquals(THREADS - 1, got.stream().filter(v -> v == null).count(), key + ": " + got);
    }
  }

  @Test
  void getAndPutChainsAcrossManagersLoseAndRepeatNoValue() throws Exception {
    int perThread = 100;
    cacheA.put("chain", "start");
    List<List<String>> previous = race.run(thread -> {
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        seen.add(cacheOf(thread).getAndPut("chain", thread + "/" + i));
      }
      return seen;
    });

    // Atomic swaps form one chain: every value but the last is displaced exactly once.
    Map<String, Integer> timesDisplaced = new HashMap<>();
    previous.forEach(seen -> seen.forEach(value -> timesDisplaced.merge(value, 1, Integer::sum)));
    timesDisplaced.merge(cacheB.get("chain"), 1, Integer::sum);
    Set<String> missing = new TreeSet<>(List.of("start"));
    for (int thread = 0; thread < THREADS; thread++) {
      for (int i = 0; i < perThread; i++) {
        missing.add(thread + "/" + i);
      }
    }
    missing.removeAll(timesDisplaced.keySet());
    timesDisplaced.values().removeIf(times -> times == 1);
    assertEquals(Map.of(), timesDisplaced, "values displaced more than once");
    assertEquals(Set.of(), missing, "values lost");
  }

  @Test
  void putsRacingUnderACustomExpiryPolicyAllLandAndKeepTheCreationTtl(RedisEndpoint redis)
      throws Exception {
    // Under a policy the cache must ask, put probes first and then writes on the condition that
    // the entry still is as probed; a put that loses that race must decide again as an update.
    var config = StringCaches.config()
        .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new TenMinutesFromCreation()));
    Cache<String, String> ttlA = fixture.separateCache(uri, "ttl", config);
    Cache<String, String> ttlB = fixture.separateCache(uri, "ttl", config);
    var onC = EventRecorder.registerOn(fixture.separateCache(uri, "ttl", config));
    try (var raw = new RawRedis(redis.uri())) {
      for (String key : raceKeys()) {
        race.run(thread -> {
          (thread % 2 == 0 ? ttlA : ttlB).put(key, "thread-" + thread);
          return null;
        });

        // Events are published in the order Redis applied the writes.
        List<EventType> types = new ArrayList<>();
        String lastValue = null;
        for (int put = 0; put < THREADS; put++) {
          var seen = onC.next();
          assertNotNull(seen, key + ": only " + types);
          assertEquals(key, seen.key());
          types.add(seen.type());
          lastValue = seen.value();
        }
        assertEquals(1, types.stream().filter(EventType.CREATED::equals).count(), key + types);
        assertEquals(EventType.CREATED, types.get(0), key + types);
        assertEquals(lastValue, ttlA.get(key), key);
        long ttl = raw.commands().pttl(RawRedis.utf8(prefix + ":ttl:" + key));
        assertTrue(ttl > 0 && ttl <= 600_000, key + " has time-to-live " + ttl + " ms");
      }
    }
  }

  /** Half the threads use manager A's cache, half manager B's. */
  private Cache<String, String> cacheOf(int thread) {
    return thread % 2 == 0 ? cacheA : cacheB;
  }

  private static List<String> raceKeys() {
    return IntStream.range(0, ROUNDS).mapToObj(round -> "race-" + round).toList();
  }

  /** Asserts that exactly one contender won, and returns its thread number. */
  private static int onlyWinner(String key, List<Boolean> won) {
    assertEquals(1, won.stream().filter(w -> w).count(), "winners of " + key + ": " + won);
    return won.indexOf(true);
  }
}

package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.age;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.jobOf;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static dev.stepper.cache.RevalidationFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.CountingLoader;
import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Single flight across JVMs: three managers on connections of their own (as three JVMs would be)
 * and 50 reads released together of one missing or stale key start one generation in all.
 */
@Timeout(60)
class RevalidationSingleFlightTest extends RevalidationTestBase {

  private static final int MANAGERS = 3;
  private static final int READS = 50;

  private Race race;

  @BeforeEach
  void openSingleFlight() {
    race = fixture.own(new Race(READS, Duration.ofSeconds(20)));
  }

  /** The first cache's MXBean is the one registered under the shared URI. */
  private List<Cache<String, String>> caches(Configuration<String, String> config) {
    return IntStream.range(0, MANAGERS)
        .mapToObj(i -> fixture.separateCache(uri, CACHE, config)).toList();
  }

  @Test
  void fiftyMissesAcrossThreeManagersStartOneJobAndAllGetItsPlaceholder() throws Exception {
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      return "value";
    });
    var caches = caches(config(longWindows(), generator));

    List<String> got = race.run(thread -> caches.get(thread % MANAGERS).get("k"));

    Set<String> distinct = Set.copyOf(got);
    assertEquals(1, distinct.size(), "every read got the one placeholder: " + distinct);
    String placeholder = got.get(0);
    assertTrue(isPending(placeholder), placeholder);
    assertEquals(placeholder, text(raw, entryKey(prefix, "k")));
    gate.open();
    for (Cache<String, String> cache : caches) {
      Await.until(WAIT, "the value in every manager", () -> "value".equals(cache.get("k")));
    }
    assertEquals(1, generator.calls().size(), "generations: " + generator.calls());
    assertEquals(jobOf(placeholder), generator.calls().get(0).jobId());
  }

  @Test
  void fiftyReadsOfAStaleKeyAcrossThreeManagersRefreshItOnce() throws Exception {
    var generator = new Generator().answering((key, job, call) -> {
      if (key.equals("k")) {
        gate.pass();
        return "v2";
      }
      return key;
    });
    // One job thread per manager: a job started later runs after every earlier one has ended.
    var caches = caches(config(longWindows().jobThreads(1), generator));
    caches.get(0).put("k", "v1");
    age(raw, entryKey(prefix, "k"), 8_000);

    List<String> got = race.run(thread -> caches.get(thread % MANAGERS).get("k"));

    assertEquals(Set.of("v1"), Set.copyOf(got), "every read got the stale value at once");
    Await.until(WAIT, "the refresh to start", () -> generator.callsFor("k").size() == 1);
    gate.open();
    for (Cache<String, String> cache : caches) {
      Await.until(WAIT, "the refreshed value in every manager", () -> "v2".equals(cache.get("k")));
    }
    // A marker refreshed by each manager runs after that manager's refresh tasks for k.
    for (int i = 0; i < MANAGERS; i++) {
      String marker = "marker-" + i;
      caches.get(i).put(marker, "old");
      age(raw, entryKey(prefix, marker), 8_000);
      assertEquals("old", caches.get(i).get(marker));
    }
    Await.until(WAIT, "every manager's job thread to get to its marker",
        () -> generator.calls().stream().filter(c -> c.key().startsWith("marker-")).count()
            == MANAGERS);
    assertEquals(1, generator.callsFor("k").size(), "refreshes of k: " + generator.callsFor("k"));
    assertTrue(generator.callsFor("k").get(0).refresh());
  }

  @Test
  void fiftyMissesOfAPlainLoaderAcrossThreeManagersLoadOnceAndAllGetTheValue() throws Exception {
    var loader = new CountingLoader().answering((key, call) -> {
      // Hold the load until readers of the first manager are waiting for it.
      Await.until(WAIT, "readers to wait for the load",
          () -> revalidation(uri, "SingleFlightWaits") >= 5);
      return "loaded " + call;
    });
    var caches = caches(config(longWindows(), loader));

    List<String> got = race.run(thread -> caches.get(thread % MANAGERS).get("k"));

    assertEquals(Set.of("loaded 1"), Set.copyOf(got));
    assertEquals(1, loader.calls(), "loads: " + loader.calls());
    assertTrue(revalidation(uri, "SingleFlightWaits") > 0);
    assertEquals("loaded 1", text(raw, entryKey(prefix, "k")));
  }

  @Test
  void aQuickPlainLoaderIsAlsoCalledOncePerMissHoweverTheReadsInterleave() throws Exception {
    // Single flight must not rest on the load being slow: a reader that missed just before the
    // value was stored, and takes the lease just after it was given back, must not load again.
    var loader = new CountingLoader();
    var caches = caches(config(longWindows(), loader));
    for (int round = 0; round < 20; round++) {
      String key = "k" + round;

      List<String> got = race.run(thread -> caches.get(thread % MANAGERS).get(key));

      assertEquals(1, loader.callsFor(key), "loads of " + key + " by 50 racing reads");
      assertEquals(Set.of(got.get(0)), Set.copyOf(got), key);
    }
  }
}

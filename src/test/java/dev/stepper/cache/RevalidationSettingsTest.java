package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.swr.Backoff;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The settings of stale-while-revalidate refuse what makes no sense, naming the setting, and the
 * policy turns its windows into the Redis time-to-live the flow relies on.
 */
class RevalidationSettingsTest {

  private static final StaleWhileRevalidate BASE = StaleWhileRevalidate.fresh(Duration.ofSeconds(1));

  @Test
  void aFreshWindowMustBePositive() {
    refused(() -> StaleWhileRevalidate.fresh(Duration.ZERO), "fresh window");
    refused(() -> StaleWhileRevalidate.fresh(Duration.ofMillis(-1)), "fresh window");
  }

  @Test
  void aStaleWindowMustNotBeNegative() {
    refused(() -> BASE.stale(Duration.ofMillis(-1)), "stale window");
    assertEquals(Duration.ZERO, BASE.stale(Duration.ZERO).staleWindow());
  }

  @Test
  void aLeaseMustBePositive() {
    refused(() -> BASE.lease(Duration.ZERO), "lease");
  }

  @Test
  void aJvmMayHaveNoJobThreadsButTheQueueMustHoldAJob() {
    refused(() -> BASE.jobThreads(-1), "jobThreads");
    assertEquals(0, BASE.jobThreads(0).jobThreads(), "a web-only JVM leaves jobs to workers");
    refused(() -> BASE.jobQueue(0), "jobQueue");
    assertEquals(1, BASE.jobQueue(1).jobQueue());
  }

  @Test
  void aBackoffMustGrowAndStayWithinItsBounds() {
    refused(() -> Backoff.exponential(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(10)),
        "multiplier");
    refused(() -> Backoff.exponential(Duration.ZERO, 2, Duration.ofSeconds(10)), "initial");
    refused(() -> Backoff.exponential(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)), "max");
    refused(() -> Backoff.DEFAULT.withJitter(1), "jitter");
  }

  @Test
  void aBackoffWithoutJitterDoublesUpToItsMax() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(300), 2, Duration.ofMillis(1000))
        .withJitter(0);
    assertEquals(Duration.ofMillis(300), backoff.delay(1));
    assertEquals(Duration.ofMillis(600), backoff.delay(2));
    assertEquals(Duration.ofMillis(1000), backoff.delay(3));
    assertEquals(Duration.ofMillis(1000), backoff.delay(30));
  }

  @Test
  void entriesLiveFreshPlusStaleInRedisAndReadsDoNotExtendThem() {
    var policy = StaleWhileRevalidate.fresh(Duration.ofMillis(300)).stale(Duration.ofSeconds(5));

    var ttl = policy.getExpiryForCreation();
    assertEquals(5_300, ttl.getTimeUnit().toMillis(ttl.getDurationAmount()));
    assertEquals(ttl, policy.getExpiryForUpdate());
    assertNull(policy.getExpiryForAccess());
    // stale once less than the stale window is left
    assertFalse(policy.isStale(Duration.ofMillis(5_000)));
    assertTrue(policy.isStale(Duration.ofMillis(4_999)));
  }

  private static void refused(Executable setting, String named) {
    var e = assertThrows(IllegalArgumentException.class, setting);
    assertTrue(e.getMessage().contains(named), "'" + e.getMessage() + "' names no " + named);
  }
}

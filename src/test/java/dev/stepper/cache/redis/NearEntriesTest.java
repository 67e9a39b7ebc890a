package dev.stepper.cache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.NearCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The near cache's rules, each interleaving made deterministic by driving the fill's two steps
 * (marker before the read, value after the reply) around the event under test: what changes in
 * Redis between them wins over what the read found.
 */
class NearEntriesTest {

  private static final byte[] KEY = bytes("k");
  private static final byte[] OLD = bytes("v1");

  private final NearEntries entries = new NearEntries(new NearCache(100, Duration.ofMinutes(1)));

  /** @return a tracking lease that outlasts the test */
  private static long farLease() {
    return System.nanoTime() + Duration.ofMinutes(1).toNanos();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void tracking() {
    entries.resume(farLease());
  }

  @Test
  void aFilledCopyIsServedWithTheTimeRedisGaveIt() {
    entries.complete(entries.begin(KEY), new TimedValue(OLD, 60_000));

    TimedValue local = entries.get(KEY);
    assertArrayEquals(OLD, local.bytes());
    assertTrue(local.remainingMillis() > 59_000 && local.remainingMillis() <= 60_000,
        "time left: " + local.remainingMillis());
    entries.complete(entries.begin(bytes("eternal")), new TimedValue(OLD, -1));
    assertEquals(-1, entries.get(bytes("eternal")).remainingMillis());
  }

  @Test
  void anInvalidationWhileTheReadIsInFlightWinsOverWhatTheReadFound() {
    NearEntries.Fill fill = entries.begin(KEY);
    entries.invalidated(List.of(KEY)); // another client overwrote it after the read ran

    entries.complete(fill, new TimedValue(OLD, -1));

    assertNull(entries.get(KEY), "the overwritten value is not kept");
  }

  @Test
  void aWriteOfThisJvmWhileTheReadIsInFlightWinsToo() {
    NearEntries.Fill fill = entries.begin(KEY);
    entries.invalidate(KEY);

    entries.complete(fill, new TimedValue(OLD, -1));

    assertNull(entries.get(KEY));
  }

  @Test
  void aLaterFillDoesNotLetAnEarlierOneThroughAfterAnInvalidation() {
    NearEntries.Fill first = entries.begin(KEY);
    entries.invalidated(List.of(KEY));
    NearEntries.Fill second = entries.begin(KEY); // began after the change: may keep its read

    entries.complete(first, new TimedValue(OLD, -1));
    assertNull(entries.get(KEY), "the first read may predate the change");
    entries.complete(second, new TimedValue(bytes("v2"), -1));
    assertArrayEquals(bytes("v2"), entries.get(KEY).bytes());
  }

  @Test
  void aFlushOrALostConnectionWhileTheReadIsInFlightDropsIt() {
    NearEntries.Fill beforeFlush = entries.begin(KEY);
    entries.dropAll();
    entries.complete(beforeFlush, new TimedValue(OLD, -1));
    assertNull(entries.get(KEY));

    NearEntries.Fill beforeLoss = entries.begin(KEY);
    entries.suspend();
    entries.resume(farLease());
    entries.complete(beforeLoss, new TimedValue(OLD, -1));
    assertNull(entries.get(KEY), "a read sent before tracking was lost is not kept");
  }

  @Test
  void nothingIsServedOrKeptWhileTrackingIsLost() {
    entries.complete(entries.begin(KEY), new TimedValue(OLD, -1));
    entries.suspend();

    assertNull(entries.get(KEY), "every copy dropped");
    assertNull(entries.begin(KEY), "nothing is filled until tracking is back");
    entries.resume(farLease());
    assertNull(entries.get(KEY), "and what was dropped stays dropped");
  }

  @Test
  void copiesAreServedOnlyWithinTheLeaseThatHeartbeatsRenew() {
    entries.complete(entries.begin(KEY), new TimedValue(OLD, -1));
    entries.resume(System.nanoTime()); // the lease ends now: no heartbeat was answered

    assertNull(entries.get(KEY), "not served once the lease ended");
    assertNull(entries.begin(KEY), "nor filled");
    assertEquals(0, entries.counts()[5], "not serving");
    entries.extend(farLease()); // a heartbeat answered: nothing was missed meanwhile
    assertArrayEquals(OLD, entries.get(KEY).bytes());
  }

  @Test
  void aCopyIsNeverServedPastItsEntrysTimeOrMaxTtl() {
    entries.complete(entries.begin(KEY), new TimedValue(OLD, 0));
    assertNull(entries.get(KEY), "an entry with no time left is not kept");

    var short1 = new NearEntries(new NearCache(10, Duration.ofNanos(1)));
    short1.resume(farLease());
    short1.complete(short1.begin(KEY), new TimedValue(OLD, -1));
    assertNull(short1.get(KEY), "max-ttl bounds an entry that never expires in Redis");
  }

  @Test
  void theCountsSayWhatHappened() {
    entries.get(KEY);
    entries.complete(entries.begin(KEY), new TimedValue(OLD, -1));
    entries.get(KEY);
    entries.invalidated(List.of(KEY, bytes("other")));
    entries.dropAll();

    long[] counts = entries.counts();
    assertEquals(1, counts[0], "hits");
    assertEquals(1, counts[1], "misses");
    assertEquals(2, counts[2], "invalidations");
    assertEquals(1, counts[3], "drops");
  }
}

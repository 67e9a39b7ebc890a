package dev.stepper.cache.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one cache's writes last learned about who listens to its events, so that while nobody does
 * a write can be a plain {@code SET} or {@code MSET} instead of the write script.
 *
 * <p>A script run costs Redis some thirty times the server time of a plain {@code SET}, and the
 * script asks who listens ({@code PUBSUB NUMSUB}) on every run. When it finds nobody, that
 * finding is trusted for 100 ms (the quiet lease), counted from before the script was sent;
 * meanwhile, writes that need to know nothing of what they replace go as plain commands and
 * publish nothing. A new listener's registration waits as long after its
 * subscription is confirmed on every node before it returns ({@link PubSub#subscribe(KeyLayout,
 * java.util.function.Consumer)}). So a write that starts after a registration returned cannot
 * rely on a finding older than the subscription: any script that ran before the subscription was
 * sent before it, and its lease ended before the registration returned. A finding that somebody
 * listens is not leased: writes go through the script, which asks again, until it finds nobody.
 * Under steady traffic one write renews the lease in its last quarter, so the others never wait
 * for a script: about one script run per 75 ms per cache and JVM.
 *
 * <p>The findings of concurrent writes may be applied out of order; that costs at most a script
 * run more or less, never a missed event, since every lease is bounded by the argument above.
 * Thread-safe.
 */
final class Audience {

  /** How long a finding that nobody listens is trusted, and how long a registration waits. */
  private static final long QUIET_LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** In its last quarter, one write renews the lease while the others still go plain. */
  private static final long RENEWAL_NANOS = QUIET_LEASE_NANOS / 4;

  /** How a write that could go as a plain command goes. */
  enum Admission {
    /** As a plain command: the lease holds. */
    PLAIN,
    /** Through the script, renewing the lease for the others; then {@link #renewalDone()}. */
    RENEW,
    /** Through the script: no lease. */
    SCRIPT
  }

  /** The end of the current quiet lease, in {@link System#nanoTime()}; in the past when none. */
  private volatile long quietUntil = System.nanoTime();
  private final AtomicBoolean renewing = new AtomicBoolean();

  /**
   * Admits a write starting now that could go as a plain command. Under steady traffic the lease
   * never runs out: once it is in its last quarter, one write is chosen to renew it through the
   * script, and only that write pays for it.
   */
  Admission admit() {
    long left = quietUntil - System.nanoTime();
    if (left <= 0) {
      return Admission.SCRIPT;
    }
    return left > RENEWAL_NANOS || !renewing.compareAndSet(false, true)
        ? Admission.PLAIN : Admission.RENEW;
  }

  /** Ends a renewal ({@link Admission#RENEW}), whether its script ran or failed. */
  void renewalDone() {
    renewing.set(false);
  }

  /**
   * Records what a write script found.
   *
   * @param sentAt {@link System#nanoTime()} before the script was sent
   * @param listened whether it found a subscriber
   */
  void heard(long sentAt, boolean listened) {
    if (!listened) {
      quietUntil = sentAt + QUIET_LEASE_NANOS;
    } else if (System.nanoTime() - quietUntil < 0) {
      quietUntil = sentAt;
    }
  }

  /**
   * Waits until every quiet lease taken before now, by any write anywhere, has ended: called by a
   * new listener once its subscription is confirmed. An interrupt ends the wait early and stays
   * set.
   */
  static void awaitLeasesTakenBeforeNow() {
    long deadline = System.nanoTime() + QUIET_LEASE_NANOS;
    for (long left = QUIET_LEASE_NANOS; left > 0; left = deadline - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

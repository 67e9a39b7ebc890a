package dev.stepper.cache.swr;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.ExpiryPolicy;

/**
 * An expiry policy with a fresh and a stale window, and the settings of the revalidation that goes
 * with them. Immutable and serializable, so that it fits
 * {@link javax.cache.configuration.MutableConfiguration#setExpiryPolicyFactory}.
 *
 * <p>An entry written or updated lives {@code fresh + stale} in Redis. During its first
 * {@code fresh} it is served as it is; after that it is <em>stale</em>: still served at once, while
 * one caller, in any JVM, reloads it in the background. When the stale window ends Redis drops it,
 * and the next read is a miss. Reads do not extend an entry's life.
 *
 * <pre>{@code
 * var config = new MutableConfiguration<String, Report>()
 *     .setExpiryPolicyFactory(StaleWhileRevalidate
 *         .fresh(Duration.ofMinutes(10)).stale(Duration.ofHours(1)).factory())
 *     .setCacheLoaderFactory(FactoryBuilder.factoryOf(new ReportLoader()))
 *     .setReadThrough(true);
 * }</pre>
 *
 * <p>The other settings, with their defaults: {@link #lease(Duration) lease} 2 min (how long a
 * generation may run without a heartbeat before it is presumed dead), {@link #backoff(Backoff)
 * backoff} {@link Backoff#DEFAULT}, {@link #jobThreads(int) 4 job threads} per cache per JVM, and
 * a job queue in Redis of at most {@link #jobQueue(int) 100} waiting jobs per cache.
 */
public final class StaleWhileRevalidate implements ExpiryPolicy, Serializable {

  private static final long serialVersionUID = 1L;

  private final Duration fresh;
  private final Duration stale;
  private final Duration lease;
  private final Backoff backoff;
  private final int jobThreads;
  private final int jobQueue;

  private StaleWhileRevalidate(Duration fresh, Duration stale, Duration lease, Backoff backoff,
      int jobThreads, int jobQueue) {
    this.fresh = fresh;
    this.stale = stale;
    this.lease = lease;
    this.backoff = backoff;
    this.jobThreads = jobThreads;
    this.jobQueue = jobQueue;
  }

  /**
   * Starts a policy whose entries are fresh this long; the stale window is zero until
   * {@link #stale(Duration)} sets it.
   *
   * @param fresh how long an entry is served without reloading; positive
   * @return the policy
   */
  public static StaleWhileRevalidate fresh(Duration fresh) {
    return new StaleWhileRevalidate(positive(fresh, "fresh window"), Duration.ZERO,
        Duration.ofMinutes(2), Backoff.DEFAULT, 4, 100);
  }

  /**
   * @param window how long a stale entry is still served while it is reloaded; zero or more
   * @return this policy with that stale window
   */
  public StaleWhileRevalidate stale(Duration window) {
    Objects.requireNonNull(window, "stale window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("The stale window must not be negative, was " + window);
    }
    return new StaleWhileRevalidate(fresh, window, lease, backoff, jobThreads, jobQueue);
  }

  /**
   * @param duration how long a generation may run before it is presumed dead and another may
   *     start; positive
   * @return this policy with that lease
   */
  public StaleWhileRevalidate lease(Duration duration) {
    return new StaleWhileRevalidate(fresh, stale, positive(duration, "lease"), backoff,
        jobThreads, jobQueue);
  }

  /**
   * @param retries when a failed generation may be retried
   * @return this policy with that backoff
   */
  public StaleWhileRevalidate backoff(Backoff retries) {
    return new StaleWhileRevalidate(fresh, stale, lease, Objects.requireNonNull(retries, "backoff"),
        jobThreads, jobQueue);
  }

  /**
   * @param threads how many generations of one cache run at once in this JVM, taken from the
   *     cache's job queue in Redis; 0 for a JVM that only serves and enqueues (a web tier beside
   *     a tier of workers)
   * @return this policy with that many job threads
   */
  public StaleWhileRevalidate jobThreads(int threads) {
    return new StaleWhileRevalidate(fresh, stale, lease, backoff, atLeast(threads, 0, "jobThreads"),
        jobQueue);
  }

  /**
   * @param capacity how many generations of the cache may wait in its job queue in Redis for a
   *     worker, over all JVMs; at least 1. When that many wait, a request that would start one
   *     fails with a {@link javax.cache.integration.CacheLoaderException}.
   * @return this policy with that queue
   */
  public StaleWhileRevalidate jobQueue(int capacity) {
    return new StaleWhileRevalidate(fresh, stale, lease, backoff, jobThreads,
        atLeast(capacity, 1, "jobQueue"));
  }

  /** @return a factory of this policy, for {@code setExpiryPolicyFactory} */
  public Factory<ExpiryPolicy> factory() {
    return new FactoryBuilder.SingletonFactory<>(this);
  }

  /** @return how long an entry is fresh */
  public Duration freshWindow() {
    return fresh;
  }

  /** @return how long after its fresh window an entry is still served */
  public Duration staleWindow() {
    return stale;
  }

  /** @return how long a generation may run before it is presumed dead */
  public Duration lease() {
    return lease;
  }

  /** @return when a failed generation may be retried */
  public Backoff backoff() {
    return backoff;
  }

  /** @return how many generations of one cache run at once in one JVM; 0 if none runs here */
  public int jobThreads() {
    return jobThreads;
  }

  /** @return how many generations may wait in the cache's job queue, over all JVMs */
  public int jobQueue() {
    return jobQueue;
  }

  /**
   * @param remaining how long Redis still keeps an entry
   * @return whether the entry is past its fresh window
   */
  public boolean isStale(Duration remaining) {
    return remaining.compareTo(stale) < 0;
  }

  @Override
  public javax.cache.expiry.Duration getExpiryForCreation() {
    return new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, fresh.plus(stale).toMillis());
  }

  @Override
  public javax.cache.expiry.Duration getExpiryForUpdate() {
    return getExpiryForCreation();
  }

  /** @return {@code null}: reading an entry does not extend its life */
  @Override
  public javax.cache.expiry.Duration getExpiryForAccess() {
    return null;
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("The " + what + " must be positive, was " + duration);
    }
    return duration;
  }

  private static int atLeast(int value, int min, String what) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StaleWhileRevalidate p && p.fresh.equals(fresh) && p.stale.equals(stale)
        && p.lease.equals(lease) && p.backoff.equals(backoff) && p.jobThreads == jobThreads
        && p.jobQueue == jobQueue;
  }

  @Override
  public int hashCode() {
    return Objects.hash(fresh, stale, lease, backoff, jobThreads, jobQueue);
  }

  @Override
  public String toString() {
    return "StaleWhileRevalidate[fresh " + fresh + ", stale " + stale + ", lease " + lease + ", "
        + backoff + ", " + jobThreads + " job threads, queue " + jobQueue + "]";
  }
}

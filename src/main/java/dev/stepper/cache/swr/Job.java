package dev.stepper.cache.swr;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * One generation of one entry, as a {@link BackgroundLoader} sees it.
 *
 * <p>A job either fills a miss (the entry holds the job's placeholder until it finishes) or
 * refreshes a stale entry (the stale value is served meanwhile, and there is no placeholder).
 * Its result replaces only what the job started from: a job that a newer one superseded changes
 * nothing. Thread-safe.
 *
 * @param <V> the cache's value type
 */
public interface Job<V> {

  /** @return a unique id, also in the placeholder */
  String id();

  /** @return which attempt this is: 1, or one more than the failed attempts before it */
  int attempt();

  /** @return when the job was requested */
  Instant requestedAt();

  /** @return when the job is presumed dead if it has not finished; see {@link #update} */
  Instant leaseUntil();

  /** @return whether the job refreshes a stale value rather than filling a miss */
  boolean isRefresh();

  /**
   * Replaces the job's placeholder, to show progress: the lease is renewed first, so that the
   * new placeholder (built from this job) carries the new {@link #leaseUntil()}. Does nothing for
   * a refresh.
   *
   * @param placeholder builds the new placeholder from the job
   * @return {@code false} if the entry no longer holds this job's placeholder: the job was
   *     superseded and its result will be dropped, so it may as well stop
   */
  boolean update(Function<? super Job<V>, ? extends V> placeholder);

  /**
   * Starts one call to a budgeted service: waits until the budget lets one more call start over
   * all the cache's JVMs, then holds a slot of it until the returned call is closed. While it
   * waits the job keeps its lease, and its placeholder says what it waits for; it polls the
   * budget no sooner than Redis says a slot may free up, so it does not spin. The call's outcome
   * is counted on the budget's MXBean.
   *
   * @param budget the service's budget
   * @param hold the longest the call may take: its slot is given back after that even if it was
   *     not closed, so that the slot of a JVM that died comes back
   * @return the call, to close when it ends
   * @throws InterruptedException if the job is stopped (its cache is closing) while it waits
   */
  default Call call(Budget budget, Duration hold) throws InterruptedException {
    return Call.UNCOUNTED;
  }

  /** One call under a {@link Budget}: report how it ended, then close it. */
  interface Call extends AutoCloseable {

    /** A call that holds no slot and counts nothing, for jobs outside a cache. */
    Call UNCOUNTED = new Call() {
      @Override
      public void succeeded() {}

      @Override
      public void failed(boolean timedOut) {}

      @Override
      public void close() {}
    };

    /** Counts the call as successful. */
    void succeeded();

    /** @param timedOut whether it failed by taking too long */
    void failed(boolean timedOut);

    /** Gives the slot back; a call closed without an outcome counts as failed. */
    @Override
    void close();
  }
}

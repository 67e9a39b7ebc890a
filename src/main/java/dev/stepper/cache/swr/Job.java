package dev.stepper.cache.swr;

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
}

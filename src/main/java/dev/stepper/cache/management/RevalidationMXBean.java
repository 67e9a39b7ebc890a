package dev.stepper.cache.management;

/**
 * The stale-while-revalidate counters of one cache in this JVM, registered as
 * {@code dev.stepper.cache:type=Revalidation,CacheManager=<uri>,Cache=<name>} for caches with a
 * {@code StaleWhileRevalidate} expiry policy. Counted whether or not statistics are enabled.
 */
public interface RevalidationMXBean {

  /** @return reads that found a stale entry and served it (also counted as hits) */
  long getStaleHits();

  /** @return generations this JVM started: placeholders stored, or misses loaded under a lease */
  long getJobsStarted();

  /** @return generations this JVM finished and stored */
  long getJobsSucceeded();

  /** @return generations this JVM ran that failed; a failure record was stored */
  long getJobFailures();

  /** @return generations whose result was dropped because a newer one had replaced their start */
  long getJobsSuperseded();

  /** @return generations refused because the job executor was full or closed */
  long getJobsRejected();

  /** @return stale entries this JVM reloaded and stored */
  long getRefreshes();

  /** @return reloads of stale entries that failed; the stale entry stays served */
  long getRefreshFailures();

  /**
   * @return reads that found a generation already under way (in any JVM) and joined it instead of
   *     starting another: they got its placeholder, or waited for its value
   */
  long getSingleFlightWaits();

  /** @return reads refused or served a failure record because a failure's retry time had not come */
  long getBackoffHits();
}

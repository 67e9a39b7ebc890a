package dev.stepper.cache.management;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link RevalidationMXBean}; recording is cheap and lock-free. */
public final class RevalidationStatistics implements RevalidationMXBean {

  private final LongAdder staleHits = new LongAdder();
  private final LongAdder jobsStarted = new LongAdder();
  private final LongAdder jobsSucceeded = new LongAdder();
  private final LongAdder jobFailures = new LongAdder();
  private final LongAdder jobsSuperseded = new LongAdder();
  private final LongAdder jobsRejected = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder refreshFailures = new LongAdder();
  private final LongAdder singleFlightWaits = new LongAdder();
  private final LongAdder backoffHits = new LongAdder();

  /** Counts a stale entry served. */
  public void staleHit() {
    staleHits.increment();
  }

  /** Counts a generation started. */
  public void jobStarted() {
    jobsStarted.increment();
  }

  /** Counts a generation stored. */
  public void jobSucceeded() {
    jobsSucceeded.increment();
  }

  /** Counts a generation that failed. */
  public void jobFailed() {
    jobFailures.increment();
  }

  /** Counts a generation whose result was dropped. */
  public void jobSuperseded() {
    jobsSuperseded.increment();
  }

  /** Counts a generation the executor refused. */
  public void jobRejected() {
    jobsRejected.increment();
  }

  /** Counts a stale entry reloaded. */
  public void refreshed() {
    refreshes.increment();
  }

  /** Counts a failed reload of a stale entry. */
  public void refreshFailed() {
    refreshFailures.increment();
  }

  /** Counts a read that joined a generation under way. */
  public void singleFlightWait() {
    singleFlightWaits.increment();
  }

  /** Counts a read held back by a failure's retry time. */
  public void backoffHit() {
    backoffHits.increment();
  }

  @Override
  public long getStaleHits() {
    return staleHits.sum();
  }

  @Override
  public long getJobsStarted() {
    return jobsStarted.sum();
  }

  @Override
  public long getJobsSucceeded() {
    return jobsSucceeded.sum();
  }

  @Override
  public long getJobFailures() {
    return jobFailures.sum();
  }

  @Override
  public long getJobsSuperseded() {
    return jobsSuperseded.sum();
  }

  @Override
  public long getJobsRejected() {
    return jobsRejected.sum();
  }

  @Override
  public long getRefreshes() {
    return refreshes.sum();
  }

  @Override
  public long getRefreshFailures() {
    return refreshFailures.sum();
  }

  @Override
  public long getSingleFlightWaits() {
    return singleFlightWaits.sum();
  }

  @Override
  public long getBackoffHits() {
    return backoffHits.sum();
  }
}

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

  public void staleHit() {
    staleHits.increment();
  }

  public void jobStarted() {
    jobsStarted.increment();
  }

  public void jobSucceeded() {
    jobsSucceeded.increment();
  }

  public void jobFailed() {
    jobFailures.increment();
  }

  /** A generation finished after its entry stopped holding its placeholder: result dropped. */
  public void jobSuperseded() {
    jobsSuperseded.increment();
  }

  /** A miss whose job could not be queued: the queue held {@code jobQueue} jobs already. */
  public void jobRejected() {
    jobsRejected.increment();
  }

  public void refreshed() {
    refreshes.increment();
  }

  public void refreshFailed() {
    refreshFailures.increment();
  }

  public void singleFlightWait() {
    singleFlightWaits.increment();
  }

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

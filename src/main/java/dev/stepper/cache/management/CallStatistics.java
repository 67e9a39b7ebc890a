package dev.stepper.cache.management;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The counters behind {@link CallsMXBean}; recording is cheap and lock-free. The figures kept in
 * Redis come from suppliers, asked when the bean is read.
 */
public final class CallStatistics implements CallsMXBean {

  private final LongAdder calls = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final AtomicLong maxNanos = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final LongAdder refused = new LongAdder();
  private final LongSupplier budgetInFlight;
  private final LongSupplier queueLength;
  private final LongSupplier oldestQueuedAgeMillis;

  /**
   * @param budgetInFlight reads the budget's calls in flight over all JVMs
   * @param queueLength reads the cache's queued jobs
   * @param oldestQueuedAgeMillis reads how long the oldest has waited
   */
  public CallStatistics(LongSupplier budgetInFlight, LongSupplier queueLength,
      LongSupplier oldestQueuedAgeMillis) {
    this.budgetInFlight = budgetInFlight;
    this.queueLength = queueLength;
    this.oldestQueuedAgeMillis = oldestQueuedAgeMillis;
  }

  /** A call that found its budget spent and waited for it: it still runs, later. */
  public void refused() {
    refused.increment();
  }

  public void started() {
    calls.increment();
    inFlight.incrementAndGet();
  }

  /**
   * Counts a call ended.
   *
   * @param nanos how long it took
   * @param failed whether it failed
   * @param timedOut whether it failed by taking too long
   */
  public void ended(long nanos, boolean failed, boolean timedOut) {
    inFlight.decrementAndGet();
    finished.increment();
    totalNanos.add(nanos);
    maxNanos.accumulateAndGet(nanos, Math::max);
    if (failed) {
      failures.increment();
    }
    if (timedOut) {
      timeouts.increment();
    }
  }

  @Override
  public long getCalls() {
    return calls.sum();
  }

  @Override
  public long getFailures() {
    return failures.sum();
  }

  @Override
  public long getTimeouts() {
    return timeouts.sum();
  }

  @Override
  public double getAverageLatencyMillis() {
    long n = finished.sum();
    return n == 0 ? 0 : totalNanos.sum() / 1e6 / n;
  }

  @Override
  public long getMaxLatencyMillis() {
    return TimeUnit.NANOSECONDS.toMillis(maxNanos.get());
  }

  @Override
  public long getCallsInFlight() {
    return inFlight.get();
  }

  @Override
  public long getBudgetCallsInFlight() {
    return budgetInFlight.getAsLong();
  }

  @Override
  public long getRefusedByBudget() {
    return refused.sum();
  }

  @Override
  public long getQueueLength() {
    return queueLength.getAsLong();
  }

  @Override
  public long getOldestQueuedAgeMillis() {
    return oldestQueuedAgeMillis.getAsLong();
  }
}

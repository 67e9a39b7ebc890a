package dev.stepper.cache.management;

/**
 * What one cache's jobs spent on one budgeted service (a report provider), registered as
 * {@code dev.stepper.cache:type=Calls,CacheManager=<uri>,Cache=<name>,Budget=<service>} once the
 * service is first called. Counts are this JVM's; the budget's calls in flight and the queue are
 * read from Redis, over all JVMs, and are -1 when Redis cannot be read.
 */
public interface CallsMXBean {

  /** @return calls this JVM started */
  long getCalls();

  /** @return calls that failed, timeouts included */
  long getFailures();

  /** @return calls that failed by taking too long */
  long getTimeouts();

  /** @return the mean time of a finished call, in ms (0 before the first) */
  double getAverageLatencyMillis();

  /** @return the longest time of a finished call, in ms */
  long getMaxLatencyMillis();

  /** @return calls in flight from this JVM now */
  long getCallsInFlight();

  /** @return calls in flight now over all JVMs, as the budget counts them */
  long getBudgetCallsInFlight();

  /** @return calls that had to wait because the budget was spent, counted once per call */
  long getRefusedByBudget();

  /** @return jobs of the cache queued in Redis that no worker has taken yet */
  long getQueueLength();

  /** @return how long the oldest of them has waited, in ms (0 if none waits) */
  long getOldestQueuedAgeMillis();
}

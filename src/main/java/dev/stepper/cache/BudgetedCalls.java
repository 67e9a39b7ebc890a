package dev.stepper.cache;

import dev.stepper.cache.management.CallStatistics;
import dev.stepper.cache.management.MBeanRegistration;
import dev.stepper.cache.redis.CallBudgets;
import dev.stepper.cache.redis.JobQueue;
import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls one cache's jobs make under {@link Budget}s: each waits for a slot of its budget in
 * Redis (shared by every JVM) and is counted on its budget's MXBean, registered on first use.
 */
final class BudgetedCalls {

  private static final Logger LOG = LoggerFactory.getLogger(BudgetedCalls.class);
  /**
   * A slot held by calls in flight may free up any moment, so a job waiting for one looks again
   * this often; a spent rate is waited out exactly.
   */
  private static final long IN_FLIGHT_POLL_MILLIS = 200;

  private final String cacheName;
  private final String managerName;
  private final CallBudgets budgets;
  private final JobQueue queue;
  private final Map<String, Meter> meters = new ConcurrentHashMap<>();

  BudgetedCalls(String cacheName, String managerName, CallBudgets budgets, JobQueue queue) {
    this.cacheName = cacheName;
    this.managerName = managerName;
    this.budgets = budgets;
    this.queue = queue;
  }

  private record Meter(CallStatistics statistics, MBeanRegistration registration) {}

  /**
   * Waits for a slot of the budget, then starts the call.
   *
   * @param waiting tells the job's placeholder what it waits for, once
   */
  Job.Call start(Budget budget, Duration hold, Runnable waiting) throws InterruptedException {
    CallStatistics statistics = meter(budget.name());
    String token = UUID.randomUUID().toString();
    if (budget.bounded()) {
      boolean refused = false;
      while (true) {
        CallBudgets.Grant grant = budgets.acquire(budget.name(), token, budget.maxInFlight(),
            budget.rate(), budget.window(), hold);
        if (grant.acquired()) {
          break;
        }
        if (!refused) {
          refused = true;
          statistics.refused();
          waiting.run();
        }
        long pause = grant.rateSpent() ? grant.freeWithin().toMillis()
            : Math.min(grant.freeWithin().toMillis(), IN_FLIGHT_POLL_MILLIS);
        TimeUnit.MILLISECONDS.sleep(Math.max(1, pause));
      }
    }
    statistics.started();
    return new BudgetedCall(budget, token, statistics);
  }

  private CallStatistics meter(String name) {
    return meters.computeIfAbsent(name, n -> {
      var statistics = new CallStatistics(orMinusOne(() -> budgets.inFlight(n)),
          orMinusOne(() -> queue.backlog().queued()),
          orMinusOne(() -> {
            Instant oldest = queue.backlog().oldest();
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now())
                .toMillis());
          }));
      var registration = MBeanRegistration.ofCalls(statistics, managerName, cacheName, n);
      registration.register();
      return new Meter(statistics, registration);
    }).statistics();
  }

  private static LongSupplier orMinusOne(LongSupplier fromRedis) {
    return () -> {
      try {
        return fromRedis.getAsLong();
      } catch (RuntimeException e) {
        return -1;
      }
    };
  }

  /** Unregisters the budgets' MXBeans. */
  void close() {
    meters.values().forEach(meter -> meter.registration().unregister());
    meters.clear();
  }

  private final class BudgetedCall implements Job.Call {
    private final Budget budget;
    private final String token;
    private final CallStatistics statistics;
    private final long start = System.nanoTime();
    private boolean ended;

    BudgetedCall(Budget budget, String token, CallStatistics statistics) {
      this.budget = budget;
      this.token = token;
      this.statistics = statistics;
    }

    @Override
    public synchronized void succeeded() {
      end(false, false);
    }

    @Override
    public synchronized void failed(boolean timedOut) {
      end(true, timedOut);
    }

    private void end(boolean failed, boolean timedOut) {
      if (!ended) {
        ended = true;
        statistics.ended(System.nanoTime() - start, failed, timedOut);
      }
    }

    @Override
    public synchronized void close() {
      end(true, false);
      if (budget.bounded()) {
        try {
          Revalidation.despiteInterrupt(() -> budgets.release(budget.name(), token));
        } catch (RuntimeException e) {
          LOG.debug("Cannot give back a slot of budget {} of cache {}; its lease runs out",
              budget.name(), cacheName, e);
        }
      }
    }
  }
}

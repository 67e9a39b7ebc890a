package dev.stepper.cache;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of one cache's running jobs in the background, so that a worker waiting on a
 * slow provider or loader is never taken for dead: each job beats every third of the lease while
 * it runs. A worker whose JVM dies stops beating, and its lease runs out as before. One daemon
 * thread per cache, shared by its jobs; a beat only sends one small write. The same thread runs the
 * small clean-ups that a reader should not wait for.
 */
final class Heartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  /** A running beat; closing it stops it. */
  interface Beat extends AutoCloseable {
    @Override
    void close();
  }

  private final ScheduledThreadPoolExecutor timer;
  private final long periodMillis;

  Heartbeat(String cacheName, Duration lease) {
    this.periodMillis = Math.max(1, lease.toMillis() / 3);
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "stepper-heartbeat-" + cacheName);
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts beating for one job until the beat is closed.
   *
   * @param what the job, for the log
   * @param renew renews the job's lease; {@code false} once the job has lost it (a newer job
   *     replaced it), which stops the beat. A failure (Redis down) is retried at the next beat:
   *     the lease has two more periods to run
   */
  Beat start(String what, BooleanSupplier renew) {
    var beat = new Renewal(what, renew);
    try {
      beat.future = timer.scheduleWithFixedDelay(beat, periodMillis, periodMillis,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // The cache is closing: its jobs are being stopped, and their leases run out.
    }
    return beat;
  }

  /**
   * Runs a small write that a reader must not wait for on the heartbeat's thread; if it fails, or
   * the cache closes first, what it would have cleaned up expires by itself.
   */
  void soon(String what, Runnable chore) {
    try {
      timer.execute(() -> {
        try {
          chore.run();
        } catch (RuntimeException e) {
          LOG.debug("Cannot finish {} now", what, e);
        }
      });
    } catch (RejectedExecutionException closing) {
      LOG.debug("Not {}: the cache is closing", what);
    }
  }

  void close() {
    timer.shutdownNow();
  }

  private static final class Renewal implements Runnable, Beat {
    private final String what;
    private final BooleanSupplier renew;
    private volatile ScheduledFuture<?> future;

    Renewal(String what, BooleanSupplier renew) {
      this.what = what;
      this.renew = renew;
    }

    @Override
    public void run() {
      try {
        if (!renew.getAsBoolean()) {
          close();
        }
      } catch (RuntimeException e) {
        LOG.debug("Cannot renew the lease of {} now; trying again at the next beat", what, e);
      }
    }

    @Override
    public void close() {
      ScheduledFuture<?> running = future;
      if (running != null) {
        running.cancel(false);
      }
    }
  }
}

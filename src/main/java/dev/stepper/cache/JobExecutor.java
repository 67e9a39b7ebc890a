package dev.stepper.cache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool on which one cache generates and refreshes values. A full or closed pool
 * refuses work instead of queueing it without bound.
 */
final class JobExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);

  private final String cacheName;
  private final ThreadPoolExecutor pool;

  /**
   * @param classLoader the cache manager's, as the job threads' context class loader, so that
   *     loaders which look classes up through it find the application's own
   */
  JobExecutor(String cacheName, int threads, int queue, ClassLoader classLoader) {
    this.cacheName = cacheName;
    AtomicInteger count = new AtomicInteger();
    BlockingQueue<Runnable> waiting =
        queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, waiting, runnable -> {
      Thread thread = new Thread(runnable, "stepper-jobs-" + cacheName + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      thread.setContextClassLoader(classLoader);
      thread.setUncaughtExceptionHandler((t, e) ->
          LOG.error("Cache {}: a job failed outside its own error handling", cacheName, e));
      return thread;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  /** @return whether the job was accepted */
  boolean submit(Runnable job) {
    try {
      pool.execute(job);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /** @return a description of the pool's capacity, for messages */
  String capacity() {
    return pool.getMaximumPoolSize() + " threads and a queue of "
        + (pool.getQueue().size() + pool.getQueue().remainingCapacity());
  }

  /**
   * Stops taking jobs and lets the running ones finish within the bound; then interrupts the rest
   * and gives them the bound again to stop, so that they do not outlive the loader and the
   * connection that close next. Whatever a job has not stored stays a placeholder that expires by
   * lease.
   */
  void close(long timeoutMillis) {
    pool.shutdown();
    try {
      if (pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        return;
      }
      LOG.warn("Cache {}: {} generation jobs still run after {} ms; interrupting them, their"
          + " placeholders expire by lease", cacheName, pool.getActiveCount(), timeoutMillis);
      pool.shutdownNow();
      if (!pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        LOG.warn("Cache {}: {} generation jobs ignore interrupts; closing without them (their"
            + " writes will fail)", cacheName, pool.getActiveCount());
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

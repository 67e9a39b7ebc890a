package dev.stepper.cache;

import dev.stepper.cache.redis.JobQueue;
import dev.stepper.cache.redis.PubSub;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's workers for one cache's job queue: a poller thread that takes a queued job whenever
 * one of the cache's job threads is free, and hands it to the job executor. Queued jobs wake it
 * over pub/sub; it also looks every {@link #pollPeriod} on its own, which catches messages missed
 * while pub/sub was reconnecting and the jobs of workers that died (their messages idle for a
 * lease). A cache with no job threads has no workers: it only serves and enqueues.
 */
final class JobWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);

  private final String cacheName;
  private final JobQueue queue;
  private final JobExecutor executor;
  private final Consumer<JobQueue.Message> runner;
  private final Duration deadAfter;
  private final long pollMillis;
  private final Semaphore free;
  /** Unique per manager and cache: the queue's consumer name. */
  private final String consumer = UUID.randomUUID().toString();
  private final Thread poller;
  private final Object wakeUp = new Object();
  private boolean woken;
  private volatile boolean closed;
  /** Whether the last take failed: a failing queue is logged once, not once per poll. */
  private boolean failing;

  /**
   * @param runner runs one taken message on a job thread, and must mark it done
   * @param deadAfter the lease: a taken message idle this long belongs to a dead worker
   */
  JobWorkers(String cacheName, JobQueue queue, JobExecutor executor, int threads,
      Consumer<JobQueue.Message> runner, Duration deadAfter) {
    this.cacheName = cacheName;
    this.queue = queue;
    this.executor = executor;
    this.runner = runner;
    this.deadAfter = deadAfter;
    this.pollMillis = pollPeriod(deadAfter).toMillis();
    this.free = new Semaphore(threads);
    this.poller = new Thread(this::poll, "stepper-job-poller-" + cacheName);
    poller.setDaemon(true);
  }

  /** Looks on its own this often: a quarter of the lease, between 50 ms and 1 s. */
  static Duration pollPeriod(Duration lease) {
    return Duration.ofMillis(Math.max(50, Math.min(1000, lease.toMillis() / 4)));
  }

  /** @return the queue consumer name of this JVM's workers */
  String consumer() {
    return consumer;
  }

  /** Subscribes to the queue's wake-ups and starts taking jobs. */
  void start(PubSub pubSub, String channel) {
    pubSub.subscribe(channel, message -> wake());
    poller.start();
  }

  /** Makes the poller look at the queue now. */
  void wake() {
    synchronized (wakeUp) {
      woken = true;
      wakeUp.notifyAll();
    }
  }

  private void poll() {
    while (!closed) {
      try {
        free.acquire();
      } catch (InterruptedException e) {
        return;
      }
      JobQueue.Message message;
      try {
        message = queue.take(consumer, deadAfter);
      } catch (RuntimeException e) {
        free.release();
        if (!closed) {
          if (!failing) {
            LOG.warn("Cache {}: cannot take queued jobs ({}); trying again every {} ms", cacheName,
                e.toString(), pollMillis);
          }
          failing = true;
          pause();
        }
        continue;
      }
      if (failing) {
        failing = false;
        LOG.info("Cache {}: taking queued jobs again", cacheName);
      }
      if (message == null) {
        free.release();
        pause();
        continue;
      }
      if (!executor.submit(() -> run(message))) {
        free.release(); // closing: the message is taken again after the lease, or handed back
        return;
      }
    }
  }

  private void run(JobQueue.Message message) {
    try {
      runner.accept(message);
    } finally {
      free.release();
      wake();
    }
  }

  private void pause() {
    synchronized (wakeUp) {
      try {
        if (!woken) {
          wakeUp.wait(pollMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
      woken = false;
    }
  }

  /** Stops taking jobs; the executor's close then finishes or hands back the running ones. */
  void stop(PubSub pubSub, String channel) {
    closed = true;
    poller.interrupt();
    try {
      poller.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      pubSub.unsubscribe(channel);
    } catch (RuntimeException e) {
      LOG.debug("Cache {}: cannot unsubscribe from job wake-ups", cacheName, e);
    }
  }
}

package dev.stepper.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads that call a cache in a loop while a test breaks something, recording when each call
 * started, how long it took and how it failed, so the test can say afterwards what callers saw:
 * the longest call (a hang shows here), the failures, and when calls succeeded again.
 */
final class Load implements AutoCloseable {

  /** One call of one thread. */
  interface Step {
    void run(int thread, long iteration) throws Exception;
  }

  /** What one call did; times in nanoseconds of {@link System#nanoTime()}. */
  record Call(int thread, long startNanos, long nanos, Throwable failure) {

    long endNanos() {
      return startNanos + nanos;
    }
  }

  private static final Duration STOP_BOUND = Duration.ofSeconds(30);

  private final int threads;
  private final ExecutorService pool;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  /** Starts the threads, each running the step until {@link #stop()}. */
  Load(int threads, Step step) {
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads);
    for (int thread = 0; thread < threads; thread++) {
      int id = thread;
      pool.execute(() -> {
        for (long i = 0; !stop.get(); i++) {
          long start = System.nanoTime();
          Throwable failure = null;
          try {
            step.run(id, i);
          } catch (Exception | AssertionError e) {
            failure = e;
          }
          calls.add(new Call(id, start, System.nanoTime() - start, failure));
        }
      });
    }
  }

  /**
   * Stops the threads and waits for them: a thread still in a call after a generous bound is a
   * hang, and fails the test.
   *
   * @return every call made, in the order they ended
   */
  List<Call> stop() throws InterruptedException {
    stop.set(true);
    pool.shutdown();
    if (!pool.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("a load thread is stuck in a call for more than " + STOP_BOUND);
    }
    return new ArrayList<>(calls);
  }

  /** @return the calls so far that ended after a moment, by every thread */
  List<Call> since(long nanos) {
    return calls.stream().filter(call -> call.endNanos() - nanos > 0).toList();
  }

  /** @return whether every thread has had a successful call that started after a moment */
  boolean allSucceededSince(long nanos) {
    return calls.stream().filter(call -> call.failure() == null && call.startNanos() - nanos > 0)
        .map(Call::thread).distinct().count() == threads;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    pool.shutdownNow();
    pool.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
  }
}

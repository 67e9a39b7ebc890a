package dev.stepper.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import javax.cache.Cache;

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
  /** Each thread's calls in the order it made them; each list guarded by itself. */
  private final List<List<Call>> calls = new ArrayList<>();

  /** Starts the threads, each running the step until {@link #stop()}. */
  Load(int threads, Step step) {
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads);
    for (int thread = 0; thread < threads; thread++) {
      calls.add(new ArrayList<>());
    }
    for (int thread = 0; thread < threads; thread++) {
      int id = thread;
      List<Call> own = calls.get(id);
      pool.execute(() -> {
        for (long i = 0; !stop.get(); i++) {
          long start = System.nanoTime();
          Throwable failure = null;
          try {
            step.run(id, i);
          } catch (Exception | AssertionError e) {
            failure = e;
          }
          var call = new Call(id, start, System.nanoTime() - start, failure);
          synchronized (own) {
            own.add(call);
          }
        }
      });
    }
  }

  /**
   * Stops the threads and waits for them: a thread still in a call after a generous bound is a
   * hang, and fails the test.
   *
   * @return every call made, thread by thread
   */
  List<Call> stop() throws InterruptedException {
    stop.set(true);
    pool.shutdown();
    if (!pool.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("a load thread is stuck in a call for more than " + STOP_BOUND);
    }
    List<Call> all = new ArrayList<>();
    calls.forEach(all::addAll);
    return all;
  }

  /**
   * A step that alternates a put and a get of the thread's own keys, so that callers keep
   * writing and reading every shard.
   */
  static Step putsAndGets(Cache<String, String> cache, int keysPerThread) {
    return (thread, i) -> {
      String key = "k" + thread + ":" + i % keysPerThread;
      if (i % 2 == 0) {
        cache.put(key, "v" + i);
      } else {
        cache.get(key);
      }
    };
  }

  /** @return whether every thread has had a successful call that started after a moment */
  boolean allSucceededSince(long nanos) {
    return IntStream.range(0, threads).allMatch(thread -> firstSuccessSince(thread, nanos) != 0);
  }

  /** @return when a thread's first successful call that started after a moment started, or 0 */
  long firstSuccessSince(int thread, long nanos) {
    List<Call> own = calls.get(thread);
    synchronized (own) {
      // A thread's calls start one after another: search back from the newest.
      long first = 0;
      for (int i = own.size() - 1; i >= 0 && own.get(i).startNanos() - nanos > 0; i--) {
        if (own.get(i).failure() == null) {
          first = own.get(i).startNanos();
        }
      }
      return first;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    pool.shutdownNow();
    pool.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
  }
}

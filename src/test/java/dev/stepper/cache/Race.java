package dev.stepper.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Threads that start an action together, so that their commands meet in Redis as closely as Java
 * can make them: each thread waits until all are ready, then all are released at once. Closing it
 * stops the threads.
 */
final class Race implements AutoCloseable {

  /** What one thread does; its number tells the threads apart. */
  interface Contender<T> {
    T run(int thread) throws Exception;
  }

  private final int threads;
  private final Duration bound;
  private final ExecutorService pool;

  /**
   * @param threads how many threads race
   * @param bound how long to wait for a thread's result before the race fails; best below the
   *     test's own timeout, so that a hang fails here with its cause rather than being cut off
   */
  Race(int threads, Duration bound) {
    this.threads = threads;
    this.bound = bound;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  /** @return what each thread returned, in the order of their numbers */
  <T> List<T> run(Contender<T> contender) throws Exception {
    var ready = new CountDownLatch(threads);
    var go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int thread = 0; thread < threads; thread++) {
      int id = thread;
      Callable<T> task = () -> {
        ready.countDown();
        go.await();
        return contender.run(id);
      };
      futures.add(pool.submit(task));
    }
    ready.await();
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(bound.toMillis(), TimeUnit.MILLISECONDS));
    }
    return results;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.stepper.cache;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work one cache runs off the caller's thread (such as {@code loadAll}), tracked so that
 * closing the cache can let it finish before the loader it uses is closed.
 */
final class BackgroundTasks {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundTasks.class);

  private final Executor executor;
  private final Set<CompletableFuture<Void>> running = ConcurrentHashMap.newKeySet();

  BackgroundTasks(Executor executor) {
    this.executor = executor;
  }

  void submit(Runnable task) {
    CompletableFuture<Void> future = CompletableFuture.runAsync(task, executor);
    running.add(future);
    future.whenComplete((ignored, failure) -> running.remove(future));
  }

  /** Waits, within the bound, for the tasks submitted so far. */
  void awaitQuiet(long timeoutMillis) {
    CompletableFuture<?>[] pending = running.toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(pending).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("{} background cache tasks still run after {} ms; closing anyway", running.size(),
          timeoutMillis);
    } catch (Exception e) {
      // each task reports its own failure
    }
  }
}

package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Waits for what a test expects, polling until a deadline: tests wait on a condition, never for a
 * fixed time, and say what they waited for when it does not come.
 */
public final class Await {

  private static final long POLL_MILLIS = 20;

  private Await() {}

  /**
   * @param bound how long to wait at most
   * @param what what is awaited, for the failure message
   * @param condition polled until true
   */
  public static void until(Duration bound, String what, BooleanSupplier condition) {
    success(bound, () -> {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("not yet: " + what);
      }
      return null;
    });
  }

  /**
   * @param bound how long to retry at most
   * @param call retried until it returns without throwing
   * @param <T> its result type
   * @return the result of the first call that did not throw
   */
  public static <T> T success(Duration bound, Callable<T> call) {
    long deadline = System.nanoTime() + bound.toNanos();
    Throwable last;
    do {
      try {
        return call.call();
      } catch (Exception | AssertionError e) {
        last = e;
      }
      pause();
    } while (System.nanoTime() - deadline < 0);
    return fail("still failing after " + bound.toMillis() + " ms: " + last.getMessage(), last);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}

package dev.stepper.cache.testing;

import java.util.function.Supplier;

/**
 * The current thread's context class loader replaced until {@link #close()}. The provider takes
 * it for its default class loader: a fresh loader gives cache managers of their own, as in
 * another JVM or a restarted application, and a loader over a folder holding
 * {@code stepper-cache.yaml} gives that file as the default.
 */
public final class ContextClassLoader implements AutoCloseable {

  private final Thread thread = Thread.currentThread();
  private final ClassLoader previous = thread.getContextClassLoader();

  private ContextClassLoader(ClassLoader loader) {
    thread.setContextClassLoader(loader);
  }

  /**
   * @param loader the context class loader until the handle is closed
   * @return the handle that puts the earlier one back
   */
  public static ContextClassLoader use(ClassLoader loader) {
    return new ContextClassLoader(loader);
  }

  /**
   * @param loader the context class loader while the action runs
   * @param action what to run
   * @param <T> its result's type
   * @return the action's result
   */
  public static <T> T with(ClassLoader loader, Supplier<T> action) {
    try (var context = use(loader)) {
      return action.get();
    }
  }

  @Override
  public void close() {
    thread.setContextClassLoader(previous);
  }
}

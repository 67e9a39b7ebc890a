package dev.stepper.examples.annotations;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first choice of the YAML file's provider chain, always over its quota: every report then
 * lists a failed try before the one that wrote it, and its calls count the generations.
 */
public final class FlakyProvider implements ReportProvider {

  // static: the cache makes its own instance from the class name in the YAML file
  private static final AtomicInteger CALLS = new AtomicInteger();

  /** Made by the cache from the YAML file. */
  public FlakyProvider() {}

  /** @return how often any instance was asked for a report */
  public static int calls() {
    return CALLS.get();
  }

  /** Forgets the calls. */
  public static void reset() {
    CALLS.set(0);
  }

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public String write(ReportKey key) {
    CALLS.incrementAndGet();
    throw new IllegalStateException("quota exceeded");
  }
}

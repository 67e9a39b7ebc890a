package dev.stepper.cache.frameworks;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second choice of the report chains in the framework tests' YAML files: it writes the report
 * once its gate is open. The file makes the instance, so the test steers it through static state;
 * the tests of a JVM run one after another, and each starts with {@link #reset()}.
 */
public final class GatedSummariser implements ReportProvider {

  private static final AtomicInteger CALLS = new AtomicInteger();
  private static volatile CountDownLatch gate = new CountDownLatch(1);

  /** Made by the configuration file. */
  public GatedSummariser() {}

  /** Closes the gate and forgets the calls. */
  public static void reset() {
    close();
    CALLS.set(0);
  }

  /** Holds the next calls until {@link #open()}. */
  public static void close() {
    gate = new CountDownLatch(1);
  }

  /** Lets the waiting and the next calls write their reports. */
  public static void open() {
    gate.countDown();
  }

  /** @return how many reports were asked for since {@link #reset()} */
  public static int calls() {
    return CALLS.get();
  }

  @Override
  public String name() {
    return "summariser";
  }

  @Override
  public String write(ReportKey key) throws InterruptedException {
    int call = CALLS.incrementAndGet();
    if (!gate.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never opened the gate");
    }
    return "# Diary of " + key.sha() + " by " + key.user() + " (report " + call + ")";
  }
}

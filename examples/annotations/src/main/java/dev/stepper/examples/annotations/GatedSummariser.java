package dev.stepper.examples.annotations;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The YAML file's fallback provider, which writes each report only when the test opens its gate:
 * until then the test can see what callers get while a generation runs. Each report names its
 * draft number, so the test can tell a refreshed report from the one before.
 */
public final class GatedSummariser implements ReportProvider {

  /** Longer than any test waits, shorter than the chain's timeout in the YAML file. */
  private static final long GATE_SECONDS = 25;

  // static: the cache makes its own instance from the class name in the YAML file
  private static final AtomicInteger CALLS = new AtomicInteger();
  private static final AtomicInteger WAITING = new AtomicInteger();
  private static volatile CountDownLatch gate = new CountDownLatch(0);

  /** Made by the cache from the YAML file. */
  public GatedSummariser() {}

  /** Makes the next calls wait for {@link #open()}. */
  public static void close() {
    gate = new CountDownLatch(1);
  }

  /** Lets waiting and later calls write their report. */
  public static void open() {
    gate.countDown();
  }

  /** @return how often any instance was asked for a report */
  public static int calls() {
    return CALLS.get();
  }

  /** @return how many calls wait at the gate now */
  public static int waiting() {
    return WAITING.get();
  }

  /** Opens the gate and forgets the calls. */
  public static void reset() {
    open();
    CALLS.set(0);
  }

  @Override
  public String name() {
    return "summariser";
  }

  @Override
  public String write(ReportKey key) throws InterruptedException {
    // counted as waiting before it counts as called, so a test that sees the call sees it wait
    WAITING.incrementAndGet();
    int draft = CALLS.incrementAndGet();
    try {
      if (!gate.await(GATE_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } finally {
      WAITING.decrementAndGet();
    }
    return "Diary of " + key.sha() + " by " + key.user() + ", draft " + draft;
  }
}

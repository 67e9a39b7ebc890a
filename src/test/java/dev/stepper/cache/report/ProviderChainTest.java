package dev.stepper.cache.report;

import static dev.stepper.cache.report.ReportProviders.provider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.report.AllProvidersFailedException;
import dev.stepper.cache.report.ProviderAttempt;
import dev.stepper.cache.report.ProviderAttempt.Outcome;
import dev.stepper.cache.report.ProviderChain;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider chain tries providers in order, each within its time limit: a provider that
 * overruns is interrupted and the next one is asked; when all fail, the exception lists every try;
 * a progress listener that no longer waits stops the chain.
 */
@Timeout(30)
class ProviderChainTest {

  private static final ReportKey KEY = new ReportKey("user", "sha");
  private static final Duration LIMIT = Duration.ofMillis(200);

  /** Lets go of providers that ignored their interrupt, after each test. */
  private final CountDownLatch released = new CountDownLatch(1);

  @AfterEach
  void releaseProviders() {
    released.countDown();
  }

  /** @return a provider that blocks until interrupted (then counts down {@code interrupted}) */
  private ReportProvider hanging(String name, CountDownLatch interrupted) {
    return provider(name, key -> {
      try {
        released.await(20, TimeUnit.SECONDS);
        return "too late";
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    });
  }

  @Test
  void aProviderPastItsTimeLimitIsInterruptedAndTheNextOneWrites() throws Exception {
    var interrupted = new CountDownLatch(1);
    var chain = ProviderChain.of(LIMIT, hanging("slow", interrupted),
        provider("fast", key -> "report of " + key.user()));

    Report.Hydrated report = chain.generate(KEY, (stage, percent) -> true);

    assertEquals("report of user", report.content());
    List<ProviderAttempt> tried = report.providers();
    assertEquals(List.of("slow", "fast"), tried.stream().map(ProviderAttempt::provider).toList());
    assertEquals(List.of(Outcome.TIMEOUT, Outcome.OK),
        tried.stream().map(ProviderAttempt::outcome).toList());
    assertTrue(tried.get(0).latencyMillis() >= LIMIT.toMillis(), tried.get(0).toString());
    assertTrue(interrupted.await(5, TimeUnit.SECONDS),
        "the provider that timed out was never interrupted: it still holds its thread");
  }

  @Test
  void whenEveryProviderFailsTheExceptionListsEachTry() {
    var interrupted = new CountDownLatch(1);
    var chain = ProviderChain.of(LIMIT,
        provider("checked", key -> {
          throw new IOException("service down");
        }),
        provider("unchecked", key -> {
          throw new IllegalStateException("quota exceeded");
        }),
        hanging("hung", interrupted));

    var failure = assertThrows(AllProvidersFailedException.class,
        () -> chain.generate(KEY, (stage, percent) -> true));

    List<ProviderAttempt> tried = failure.attempts();
    assertEquals(List.of("checked", "unchecked", "hung"),
        tried.stream().map(ProviderAttempt::provider).toList());
    assertEquals(List.of(Outcome.ERROR, Outcome.ERROR, Outcome.TIMEOUT),
        tried.stream().map(ProviderAttempt::outcome).toList());
    assertEquals(IOException.class.getName(), tried.get(0).errorType());
    assertEquals("service down", tried.get(0).message());
    assertEquals(IllegalStateException.class.getName(), tried.get(1).errorType());
    assertEquals("quota exceeded", tried.get(1).message());
    assertTrue(failure.getMessage().contains("checked: java.io.IOException: service down")
        && failure.getMessage().contains("hung: timeout after"), failure.getMessage());
  }

  @Test
  void aListenerThatNoLongerWaitsStopsTheChainBeforeTheNextProvider() {
    var secondCalls = new AtomicInteger();
    var chain = ProviderChain.of(LIMIT,
        provider("first", key -> {
          throw new IOException("service down");
        }),
        provider("second", key -> {
          secondCalls.incrementAndGet();
          return "report";
        }));
    List<String> stages = new CopyOnWriteArrayList<>();

    var failure = assertThrows(AllProvidersFailedException.class,
        () -> chain.generate(KEY, (stage, percent) -> {
          stages.add(stage + " " + percent);
          return stages.size() == 1; // a newer generation replaced this one after the first try
        }));

    assertEquals(List.of("asking first 0", "asking second 50"), stages);
    assertEquals(0, secondCalls.get(), "the chain went on after the listener said stop");
    assertEquals(List.of("first"),
        failure.attempts().stream().map(ProviderAttempt::provider).toList());
  }
}

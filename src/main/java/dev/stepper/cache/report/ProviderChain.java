package dev.stepper.cache.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tries providers in order until one writes the report, each within a time limit, and records
 * every try. Thread-safe.
 */
public final class ProviderChain implements ReportGenerator {

  /**
   * Provider calls run here so that a caller can stop waiting at the deadline and interrupt the
   * call. There are at most as many calls at once as job threads, plus providers that ignore
   * interrupts.
   */
  private static final ExecutorService CALLS = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "stepper-report-provider");
    thread.setDaemon(true);
    return thread;
  });

  private final List<ReportProvider> providers;
  private final Duration timeout;

  private ProviderChain(List<ReportProvider> providers, Duration timeout) {
    this.providers = providers;
    this.timeout = timeout;
  }

  /**
   * @param timeout how long each provider may take
   * @param providers the providers, first choice first
   * @return the chain
   * @throws IllegalArgumentException if there is no provider or the timeout is not positive
   */
  public static ProviderChain of(Duration timeout, ReportProvider... providers) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("Provider timeout must be positive, was " + timeout);
    }
    if (providers.length == 0) {
      throw new IllegalArgumentException("A provider chain needs at least one provider");
    }
    return new ProviderChain(List.of(providers), timeout);
  }

  @Override
  public Report.Hydrated generate(ReportKey key, ProgressListener progress)
      throws AllProvidersFailedException, InterruptedException {
    List<ProviderAttempt> tried = new ArrayList<>();
    for (int i = 0; i < providers.size(); i++) {
      ReportProvider provider = providers.get(i);
      if (!progress.report("asking " + provider.name(), 100 * i / providers.size())) {
        break;
      }
      long start = System.nanoTime();
      ClassLoader caller = Thread.currentThread().getContextClassLoader();
      Future<String> call = CALLS.submit(() -> writeAs(caller, provider, key));
      try {
        String content = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        tried.add(new ProviderAttempt(provider.name(), ProviderAttempt.Outcome.OK, null, null,
            millisSince(start)));
        return new Report.Hydrated(content, Instant.now(), tried);
      } catch (TimeoutException e) {
        call.cancel(true); // interrupts the provider, which should give up
        tried.add(new ProviderAttempt(provider.name(), ProviderAttempt.Outcome.TIMEOUT, null,
            "no answer within " + timeout.toMillis() + " ms", millisSince(start)));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        tried.add(new ProviderAttempt(provider.name(), ProviderAttempt.Outcome.ERROR,
            cause.getClass().getName(), String.valueOf(cause.getMessage()), millisSince(start)));
      } catch (InterruptedException e) {
        call.cancel(true);
        throw e;
      }
    }
    throw new AllProvidersFailedException(key, tried);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Pool threads are shared: each call runs with the calling job's context class loader. */
  private static String writeAs(ClassLoader caller, ReportProvider provider, ReportKey key)
      throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader own = thread.getContextClassLoader();
    thread.setContextClassLoader(caller);
    try {
      return provider.write(key);
    } finally {
      thread.setContextClassLoader(own);
    }
  }
}

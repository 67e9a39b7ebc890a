package dev.stepper.cache.report;

import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tries providers in order until one writes the report, each within a time limit, and records
 * every try. Each call goes under its provider's {@link Budget} (unbounded unless
 * {@link #withBudget} sets one), so that the cache counts it on the provider's MXBean and, for a
 * bounded budget, waits for a slot shared by every JVM of the cache. A call waits for its own
 * provider's budget rather than falling through to the next provider: the next one is the
 * fallback for failures, often a weaker one, not a way around a quota. Thread-safe.
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

  /**
   * A budget's slot is held this much longer than a call may take, so that a call that ends at its
   * deadline gives its slot back itself.
   */
  private static final Duration SLOT_MARGIN = Duration.ofSeconds(5);

  private final List<ReportProvider> providers;
  private final Duration timeout;
  private final Map<String, Budget> budgets;

  private ProviderChain(List<ReportProvider> providers, Duration timeout,
      Map<String, Budget> budgets) {
    this.providers = providers;
    this.timeout = timeout;
    this.budgets = budgets;
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
    return new ProviderChain(List.of(providers), timeout, Map.of());
  }

  /**
   * @param budget the budget of the provider it names, over every JVM of the cache
   * @return this chain with that budget
   * @throws IllegalArgumentException if no provider of the chain has the budget's name
   */
  public ProviderChain withBudget(Budget budget) {
    if (providers.stream().noneMatch(p -> p.name().equals(budget.name()))) {
      throw new IllegalArgumentException("Budget " + budget.name() + " names no provider of the"
          + " chain; its providers are " + providers.stream().map(ReportProvider::name).toList());
    }
    Map<String, Budget> more = new HashMap<>(budgets);
    more.put(budget.name(), budget);
    return new ProviderChain(providers, timeout, Map.copyOf(more));
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
      Budget budget = budgets.getOrDefault(provider.name(), Budget.unbounded(provider.name()));
      try (Job.Call metered = progress.call(budget, timeout.plus(SLOT_MARGIN))) {
        Answer answer = ask(provider, key);
        tried.add(answer.attempt());
        if (answer.content() != null) {
          metered.succeeded();
          return new Report.Hydrated(answer.content(), Instant.now(), tried);
        }
        metered.failed(answer.attempt().outcome() == ProviderAttempt.Outcome.TIMEOUT);
      }
    }
    throw new AllProvidersFailedException(key, tried);
  }

  /** A provider's try: the content it wrote, or {@code null}, and how it went. */
  private record Answer(String content, ProviderAttempt attempt) {}

  private Answer ask(ReportProvider provider, ReportKey key) throws InterruptedException {
    long start = System.nanoTime();
    ClassLoader caller = Thread.currentThread().getContextClassLoader();
    Future<String> call = CALLS.submit(() -> writeAs(caller, provider, key));
    try {
      String content = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Answer(content, new ProviderAttempt(provider.name(),
          ProviderAttempt.Outcome.OK, null, null, millisSince(start)));
    } catch (TimeoutException e) {
      call.cancel(true); // interrupts the provider, which should give up
      return new Answer(null, new ProviderAttempt(provider.name(),
          ProviderAttempt.Outcome.TIMEOUT, null, "no answer within " + timeout.toMillis() + " ms",
          millisSince(start)));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new Answer(null, new ProviderAttempt(provider.name(), ProviderAttempt.Outcome.ERROR,
          cause.getClass().getName(), String.valueOf(cause.getMessage()), millisSince(start)));
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    }
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

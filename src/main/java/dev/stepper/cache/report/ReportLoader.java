package dev.stepper.cache.report;

import dev.stepper.cache.swr.BackgroundLoader;
import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.EntryState;
import dev.stepper.cache.swr.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The report cache's loader: a miss becomes a {@link Report.Dehydrated} placeholder at once, the
 * report is generated in the background with its progress shown in the placeholder, and a
 * generation that fails becomes a {@link Report.Failed} kept until its retry time.
 */
public final class ReportLoader implements BackgroundLoader<ReportKey, Report> {

  private final ReportGenerator generator;

  /** @param generator what writes the reports, usually a {@link ProviderChain} */
  public ReportLoader(ReportGenerator generator) {
    this.generator = Objects.requireNonNull(generator, "generator");
  }

  @Override
  public Report placeholder(ReportKey key, Job<Report> job) {
    return dehydrated(job, "queued", 0);
  }

  @Override
  public Report generate(ReportKey key, Job<Report> job) throws Exception {
    return generator.generate(key, new ReportGenerator.ProgressListener() {
      @Override
      public boolean report(String stage, int percent) {
        return job.update(current -> dehydrated(current, stage, percent));
      }

      @Override
      public Job.Call call(Budget budget, Duration hold) throws InterruptedException {
        return job.call(budget, hold);
      }
    });
  }

  @Override
  public Report failed(ReportKey key, Job<Report> job, Exception error, Instant retryAt) {
    List<ProviderAttempt> tried = error instanceof AllProvidersFailedException all
        ? all.attempts() : List.of();
    return new Report.Failed(error.getClass().getSimpleName() + ": " + error.getMessage(),
        job.attempt(), Instant.now(), retryAt, tried);
  }

  @Override
  public EntryState stateOf(Report value) {
    if (value instanceof Report.Dehydrated d) {
      return EntryState.pending(d.leaseUntil());
    }
    if (value instanceof Report.Failed f) {
      return EntryState.failed(f.attempts(), f.retryAt());
    }
    return EntryState.ready();
  }

  private static Report dehydrated(Job<Report> job, String stage, int percent) {
    return new Report.Dehydrated(job.id(), job.requestedAt(),
        new Report.Progress(stage, percent, Instant.now()), job.leaseUntil());
  }
}

package dev.stepper.cache.report;

import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.Job;
import java.time.Duration;

/** Generates a report, telling its progress as it goes. {@link ProviderChain} is the usual one. */
@FunctionalInterface
public interface ReportGenerator {

  /**
   * @param key which report
   * @param progress where to report progress; cheap to call
   * @return the finished report
   * @throws Exception if no report could be made; {@link AllProvidersFailedException} carries the
   *     providers tried
   */
  Report.Hydrated generate(ReportKey key, ProgressListener progress) throws Exception;

  /** Receives a generation's progress. */
  @FunctionalInterface
  interface ProgressListener {
    /**
     * @param stage what the generation is doing
     * @param percent 0 to 100
     * @return {@code false} if nobody waits for this generation any more (a newer one replaced
     *     it), so it may stop
     */
    boolean report(String stage, int percent);

    /**
     * Starts one call to a provider under its budget: see {@link Job#call}. Outside a cache's
     * job (a generator called directly) nothing is bounded or counted.
     *
     * @param budget the provider's budget
     * @param hold the longest the call may take
     * @return the call, to close when it ends
     * @throws InterruptedException if the job is stopped while it waits for the budget
     */
    default Job.Call call(Budget budget, Duration hold) throws InterruptedException {
      return Job.Call.UNCOUNTED;
    }
  }
}

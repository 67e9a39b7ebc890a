package dev.stepper.cache.report;

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
  }
}

package dev.stepper.examples.diary;

import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportKeyGenerator;
import javax.cache.annotation.CacheResult;

/**
 * The commit-diary service as an application writes it: one annotated method, the cache does the
 * rest. The cache {@code report} is declared in {@code stepper-cache.yaml} with a report
 * loader and a stale-while-revalidate expiry, so every call is answered by the cache: a
 * placeholder on a miss (the report is generated in the background), the report when it is
 * there, stale or fresh, and the failure record after a failed generation.
 *
 * <p>Not final, and the method not private: Guice intercepts it by subclassing.
 */
public class CommitDiaries {

  /** Made by Guice. */
  public CommitDiaries() {}

  /**
   * @param user the diary's owner
   * @param sha the commit
   * @return a {@link Report.Dehydrated} while the report is generated, the
   *     {@link Report.Hydrated} report, or a {@link Report.Failed}
   */
  @CacheResult(cacheName = "report", cacheKeyGenerator = ReportKeyGenerator.class)
  public Report diary(String user, String sha) {
    // Only reached when the cache cannot load reports itself: it was declared without a loader.
    throw new IllegalStateException("The cache 'report' has no report loader: declare one under"
        + " caches.report.loader in " + DemoSettings.config());
  }
}

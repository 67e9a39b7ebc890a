package dev.stepper.examples.annotations;

import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportKeyGenerator;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheResult;

/**
 * The annotated service every framework test drives: the same class under Spring, CDI and Guice.
 *
 * <p>On a cache with a read-through report loader the cache answers every call (a placeholder on a
 * miss), so the body runs only where the cache has no loader; {@link #bodyCalls()} tells which.
 */
public class DiaryService {

  private final AtomicInteger bodyCalls = new AtomicInteger();

  /** Made by the framework. */
  public DiaryService() {}

  /**
   * @param user the user id
   * @param sha the commit id
   * @return the cached report, a placeholder while it is generated, or one written here
   */
  @CacheResult(cacheName = "report", cacheKeyGenerator = ReportKeyGenerator.class)
  public Report diary(String user, String sha) {
    bodyCalls.incrementAndGet();
    return new Report.Hydrated("written by the method body for " + user + ":" + sha, Instant.now(),
        List.of());
  }

  /** @return how often the method body ran (not the cache) */
  public int bodyCalls() {
    return bodyCalls.get();
  }
}

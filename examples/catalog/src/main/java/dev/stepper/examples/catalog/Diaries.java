package dev.stepper.examples.catalog;

import dev.stepper.cache.report.Report;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Commit-diary reports through Spring's {@code @Cacheable}: the shipped {@code reportKeys}
 * generator gives them the report cache's readable keys, and the cache's report loader answers a
 * miss with a placeholder while the report is written in the background, so the body never runs.
 */
@Service
public class Diaries {

  private final AtomicInteger bodyCalls = new AtomicInteger();

  /**
   * @param user who asks
   * @param sha the commit
   * @return a placeholder while the report is written, then the report
   */
  @Cacheable(cacheNames = "report", keyGenerator = "reportKeys")
  public Report diary(String user, String sha) {
    bodyCalls.incrementAndGet();
    throw new IllegalStateException("the report cache's loader answers every call");
  }

  /** @return how often the body ran: never, while the cache answers */
  public int bodyCalls() {
    return bodyCalls.get();
  }
}

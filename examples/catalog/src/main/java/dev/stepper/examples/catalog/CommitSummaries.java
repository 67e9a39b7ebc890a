package dev.stepper.examples.catalog;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;

/** The report provider the file names: stands in for an AI model, quickly and offline. */
public final class CommitSummaries implements ReportProvider {

  /** Made by the configuration file. */
  public CommitSummaries() {}

  @Override
  public String name() {
    return "summaries";
  }

  @Override
  public String write(ReportKey key) {
    return "What " + key.user() + " did in " + key.sha();
  }
}

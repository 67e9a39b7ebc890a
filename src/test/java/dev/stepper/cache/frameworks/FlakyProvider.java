package dev.stepper.cache.frameworks;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;

/**
 * The first choice of the report chains in the framework tests' YAML files: an AI service over
 * its quota, so that the providers tried show an error before the summariser's success.
 */
public final class FlakyProvider implements ReportProvider {

  /** Made by the configuration file. */
  public FlakyProvider() {}

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public String write(ReportKey key) {
    throw new IllegalStateException("quota exceeded");
  }
}

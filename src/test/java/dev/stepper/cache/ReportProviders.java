package dev.stepper.cache;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;

/** Report providers for tests, made from a name and a lambda that may throw. */
final class ReportProviders {

  private ReportProviders() {}

  /** What a provider does. */
  @FunctionalInterface
  interface Body {
    String write(ReportKey key) throws Exception;
  }

  static ReportProvider provider(String name, Body body) {
    return new ReportProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String write(ReportKey key) throws Exception {
        return body.write(key);
      }
    };
  }
}

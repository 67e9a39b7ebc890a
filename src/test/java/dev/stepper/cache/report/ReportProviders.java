package dev.stepper.cache.report;

/** Report providers for tests, made from a name and a lambda that may throw. */
public final class ReportProviders {

  private ReportProviders() {}

  /** What a provider does. */
  @FunctionalInterface
  public interface Body {
    String write(ReportKey key) throws Exception;
  }

  /**
   * @param name the provider's name
   * @param body what it does
   * @return the provider
   */
  public static ReportProvider provider(String name, Body body) {
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

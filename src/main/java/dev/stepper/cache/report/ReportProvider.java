package dev.stepper.cache.report;

/**
 * Something that writes a report: an AI service (Gemini, Cohere, ...) or a local summariser.
 * Implementations are thread-safe and may be slow; {@link ProviderChain} bounds their time.
 */
public interface ReportProvider {

  /** @return a short name, shown in the providers tried */
  String name();

  /**
   * @param key which report
   * @return the report's content
   * @throws Exception if it cannot write the report
   */
  String write(ReportKey key) throws Exception;
}

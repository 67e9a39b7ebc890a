package dev.stepper.cache.report;

import java.util.List;
import java.util.stream.Collectors;

/** Every provider of a {@link ProviderChain} failed; the tries say how. */
public final class AllProvidersFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The tries; serializable because the list copy is. */
  private final List<ProviderAttempt> attempts;

  /**
   * @param key which report
   * @param attempts the providers tried, in order
   */
  public AllProvidersFailedException(ReportKey key, List<ProviderAttempt> attempts) {
    super("No provider could write report " + key + ": " + attempts.stream()
        .map(ProviderAttempt::summary).collect(Collectors.joining("; ")));
    this.attempts = List.copyOf(attempts);
  }

  /** @return the providers tried, in order */
  public List<ProviderAttempt> attempts() {
    return attempts;
  }
}

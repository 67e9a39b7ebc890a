package dev.stepper.cache.report;

import java.util.Objects;

/**
 * One provider's try at writing a report.
 *
 * @param provider the provider's name, such as {@code gemini}
 * @param outcome how it ended
 * @param errorType for an error, the exception's class name; else {@code null}
 * @param message for an error or a timeout, what happened; else {@code null}
 * @param latencyMillis how long the try took
 */
public record ProviderAttempt(String provider, Outcome outcome, String errorType, String message,
    long latencyMillis) {

  /** How a try ended. */
  public enum Outcome {
    /** It wrote the report. */
    OK,
    /** It failed. */
    ERROR,
    /** It took longer than allowed. */
    TIMEOUT
  }

  /** Checks that the provider and outcome are there. */
  public ProviderAttempt {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** @return a short description, such as {@code gemini: timeout after 2000 ms} */
  public String summary() {
    return switch (outcome) {
      case OK -> provider + ": ok in " + latencyMillis + " ms";
      case TIMEOUT -> provider + ": timeout after " + latencyMillis + " ms";
      case ERROR -> provider + ": " + errorType + ": " + message;
    };
  }
}

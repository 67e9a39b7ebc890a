package dev.stepper.cache.swr;

import java.time.Duration;
import java.util.Objects;

/**
 * A limit on the calls that one cache's jobs make to one paid or rate-limited service (an AI
 * provider), shared by every JVM of the cache and enforced in Redis: see {@link Job#call}.
 *
 * @param name the service, which names the budget (and its statistics MXBean)
 * @param maxInFlight most calls in flight at once over all JVMs; 0 for no bound
 * @param rate most calls started in any {@code window} over all JVMs; 0 for no bound
 * @param window the sliding window of the rate, such as the minute of a provider's
 *     requests-per-minute quota
 */
public record Budget(String name, int maxInFlight, int rate, Duration window) {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /**
   * @throws IllegalArgumentException if the name is blank, a bound is negative or the window is
   *     shorter than a millisecond
   */
  public Budget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(window, "window");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A budget needs a name, such as the provider's");
    }
    if (maxInFlight < 0 || rate < 0) {
      throw new IllegalArgumentException("Budget " + name + ": max-concurrent and rate must be 0"
          + " (no bound) or more, were " + maxInFlight + " and " + rate);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("Budget " + name + ": the rate's window must be a"
          + " millisecond or longer, was " + window);
    }
  }

  /**
   * A budget whose rate counts calls per minute.
   *
   * @param perMinute most calls started in any minute over all JVMs; 0 for no bound
   */
  public Budget(String name, int maxInFlight, int perMinute) {
    this(name, maxInFlight, perMinute, MINUTE);
  }

  /**
   * @param name the service
   * @return a budget that counts the service's calls without bounding them
   */
  public static Budget unbounded(String name) {
    return new Budget(name, 0, 0);
  }

  /** @return whether the budget bounds anything, and so needs Redis */
  public boolean bounded() {
    return maxInFlight > 0 || rate > 0;
  }
}

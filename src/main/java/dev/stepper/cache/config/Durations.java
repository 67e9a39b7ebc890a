package dev.stepper.cache.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configuration files: {@code 500ms}, {@code 2s}, {@code 1d}. */
final class Durations {

  static final String EXPECTED = "a duration such as 500ms, 2s, 10m, 1h, 1d or PT2S";

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @return the duration, or {@code null} if the text is not one or does not fit in milliseconds
   *     (Redis and JCache count in those)
   */
  static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    try {
      Duration duration;
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        duration = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      } else {
        duration = Duration.parse(value.toUpperCase(Locale.ROOT));
      }
      duration.toMillis(); // throws if it does not fit
      return duration;
    } catch (RuntimeException e) {
      return null;
    }
  }
}

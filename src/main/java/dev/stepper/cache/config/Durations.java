package dev.stepper.cache.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in URIs and configuration files: {@code 500ms}, {@code 1.5s},
 * {@code 10m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT2S}. One grammar for both, so that a
 * timeout reads the same wherever it is written.
 */
public final class Durations {

  /** What to tell someone whose text is not a duration. */
  public static final String EXPECTED = "a duration such as 500ms, 2s, 10m, 1h, 1d or PT2S";

  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @param text the duration as written
   * @return the duration, or {@code null} if the text is not one, is negative, or does not fit
   *     in milliseconds (Redis and JCache count in those)
   */
  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    try {
      Duration duration = m.matches()
          ? Duration.ofMillis(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(
              unitMillis(m.group(2)))).setScale(0, RoundingMode.HALF_UP).longValueExact())
          : Duration.parse(value.toUpperCase(Locale.ROOT));
      duration.toMillis(); // throws if it does not fit
      return duration.isNegative() ? null : duration;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 86_400_000;
    };
  }
}

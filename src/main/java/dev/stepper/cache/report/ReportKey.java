package dev.stepper.cache.report;

import java.util.Objects;
import java.util.regex.Pattern;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * Which report: a user and a commit. Stored as the readable Redis key
 * {@code <prefix>:<cache>:<user>:<sha>}, for example {@code stepper:report:user123:shaabc}.
 *
 * <p>It is also the key that {@code @CacheResult} methods get with {@link ReportKeyGenerator}, so
 * that annotated and direct access share entries.
 *
 * @param user the user id: letters, digits, {@code . _ - @}
 * @param sha the commit id: letters and digits
 */
public record ReportKey(String user, String sha) implements GeneratedCacheKey {

  private static final long serialVersionUID = 1L;

  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
  private static final Pattern SHA = Pattern.compile("[A-Za-z0-9]{1,64}");

  /**
   * @throws IllegalArgumentException if a part is empty, too long or holds other characters (a
   *     {@code :} would make two keys look alike; spaces and braces would blur the Redis key)
   */
  public ReportKey {
    check(user, USER, "user", "1-128 letters, digits, '.', '_', '-' or '@'");
    check(sha, SHA, "sha", "1-64 letters or digits");
  }

  private static void check(String value, Pattern pattern, String what, String expected) {
    Objects.requireNonNull(value, what);
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("Report key " + what + " '" + value + "' is not valid: it"
          + " must be " + expected);
    }
  }

  /**
   * @param text {@code <user>:<sha>}, as {@link #toString()} writes it
   * @return the key
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static ReportKey parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("Report key '" + text + "' must be <user>:<sha>");
    }
    return new ReportKey(text.substring(0, colon), text.substring(colon + 1));
  }

  /** @return {@code <user>:<sha>}, the key's part of the Redis key */
  @Override
  public String toString() {
    return user + ":" + sha;
  }
}

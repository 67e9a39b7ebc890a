package dev.stepper.cache.config;

import java.net.URI;

/**
 * Hides passwords in URIs before they reach a log line, a message or an MXBean name: a manager's
 * URI may carry its Redis credentials ({@code redis://user:secret@host}).
 */
public final class Redaction {

  private Redaction() {}

  /**
   * A URI with any password replaced by {@code ***}, fit for logs and messages.
   *
   * @param uri any URI
   * @return the redacted text
   */
  public static String redact(URI uri) {
    return redact(uri.toString());
  }

  /**
   * Text with the password of every URI in it replaced by {@code ***}: {@code redis://user:***@…},
   * or {@code redis://***@…} when there is no user. For messages that quote URIs, such as a
   * parser's or a URL connection's.
   *
   * @param text any text
   * @return the redacted text
   */
  public static String redact(String text) {
    var result = new StringBuilder();
    int from = 0;
    for (int scheme = text.indexOf("://"); scheme >= 0; scheme = text.indexOf("://", from)) {
      int start = scheme + 3;
      int end = start;
      while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0
          && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      // the last '@' of the authority, since an unencoded password may hold one too
      int at = text.lastIndexOf('@', end - 1);
      result.append(text, from, start);
      from = start;
      if (at >= start) {
        String userInfo = text.substring(start, at);
        int colon = userInfo.indexOf(':');
        result.append(colon < 0 ? "***" : userInfo.substring(0, colon + 1) + "***");
        from = at;
      }
    }
    return result.append(text, from, text.length()).toString();
  }
}

package dev.stepper.cache.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.CacheException;

/**
 * Errors about one configuration file, each naming the file and the key. Messages quote what
 * parsers and URLs say, so any user information of a URI in them is hidden as a last defence.
 */
final class Problems {

  private static final Pattern USER_INFO = Pattern.compile("(://)([^/\\s@:]*)(:[^/\\s@]*)?@");

  private final String file;

  Problems(String file) {
    this.file = file;
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  CacheException at(String path, String message) {
    return at(path, message, null);
  }

  CacheException at(String path, String message, Throwable cause) {
    String where = path.isEmpty() ? "" : " at '" + path + "'";
    return new CacheException(redact("Stepper Cache configuration " + file + where + ": "
        + message), cause);
  }

  CacheException file(String message, Throwable cause) {
    return at("", message, cause);
  }

  static String redact(String message) {
    Matcher m = USER_INFO.matcher(message);
    var result = new StringBuilder();
    while (m.find()) {
      String hidden = m.group(3) == null ? "***" : m.group(2) + ":***";
      m.appendReplacement(result, Matcher.quoteReplacement(m.group(1) + hidden + "@"));
    }
    return m.appendTail(result).toString();
  }
}

package dev.stepper.cache.config.file;

import dev.stepper.cache.config.Redaction;
import javax.cache.CacheException;

/**
 * Errors about one configuration file, each naming the file and the key. Messages quote what
 * parsers and URLs say, so any user information of a URI in them is hidden as a last defence.
 */
final class Problems {

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
    return new CacheException(Redaction.redact("Stepper Cache configuration " + file + where
        + ": " + message), cause);
  }

  CacheException file(String message, Throwable cause) {
    return at("", message, cause);
  }
}

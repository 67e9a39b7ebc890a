package dev.stepper.cache.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Redis server that tests may use: its URI, where it came from, and how to carve a private
 * key space out of it with a {@code prefix} query parameter.
 */
public final class RedisEndpoint {

  /** Where the server came from. */
  public enum Source {
    /** The {@code REDIS_URL} environment variable: a server we do not own. */
    REDIS_URL("REDIS_URL"),
    /** The {@code REDIS_CLUSTER_URL} environment variable: a cluster we do not own. */
    REDIS_CLUSTER_URL("REDIS_CLUSTER_URL"),
    /** A {@code redis:7} container started by Testcontainers for this JVM. */
    TESTCONTAINERS("Testcontainers redis:7"),
    /** A {@code redis-server} process started for this JVM or for one test. */
    REDIS_SERVER_PROCESS("redis-server process");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** A human-readable name for logs. */
    public String label() {
      return label;
    }
  }

  private static final int DEFAULT_PORT = 6379;
  private static final int MAX_HINT_LENGTH = 40;
  private static final String PREFIX_PARAM = "prefix";
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]+");
  // Works on strings, not URIs, so that even an unparsable REDIS_URL can be logged safely.
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#]*)@");

  private final Source source;
  private final URI uri;

  private RedisEndpoint(Source source, URI uri) {
    this.source = source;
    this.uri = uri;
  }

  /**
   * The JVM-wide real Redis: {@code REDIS_URL}, else Testcontainers, else {@code redis-server}
   * from {@code PATH}; provisioned on first use.
   *
   * @return the endpoint
   */
  public static RedisEndpoint shared() {
    return RedisProvisioner.shared();
  }

  /** An endpoint for an absolute Redis URI such as {@code redis://127.0.0.1:6379}. */
  public static RedisEndpoint of(Source source, URI uri) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(uri, "uri");
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException("Redis URI needs a scheme: " + redact(uri.toString()));
    }
    return new RedisEndpoint(source, uri);
  }

  public Source source() {
    return source;
  }

  /** The base URI exactly as given, credentials included; do not log it, log {@link #describe()}. */
  public URI uri() {
    return uri;
  }

  /** The host, or {@code null} for URIs without one (such as {@code redis-socket://}). */
  public String host() {
    return uri.getHost();
  }

  public int port() {
    return uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
  }

  /**
   * Whether other people's data may live on this server; if so tests must never run
   * {@code FLUSHALL}/{@code FLUSHDB} and must stay inside their own key prefix.
   */
  public boolean isShared() {
    return source == Source.REDIS_URL || source == Source.REDIS_CLUSTER_URL;
  }

  /** The source and the address with any password replaced by {@code ***}; safe to log. */
  public String describe() {
    return source.label() + " at " + redact(uri.toString());
  }

  /** The base URI with any password replaced by {@code ***}; safe to print. */
  public String redactedUri() {
    return redact(uri.toString());
  }

  /**
   * The base URI with the query parameter {@code prefix=<prefix>}: other query parameters are
   * kept, an existing {@code prefix} is replaced, and the value is percent-encoded.
   */
  public URI uriWithPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
    StringJoiner query = new StringJoiner("&");
    String existing = uri.getRawQuery();
    if (existing != null) {
      for (String param : existing.split("&")) {
        if (!param.isEmpty() && !param.equals(PREFIX_PARAM) && !param.startsWith(PREFIX_PARAM + "=")) {
          query.add(param);
        }
      }
    }
    query.add(PREFIX_PARAM + "=" + encode(prefix));
    // Rebuilt from the raw text so that already-encoded parts (e.g. a password) stay as they are.
    String raw = uri.toString();
    int end = firstIndexOf(raw, '?', '#');
    String fragment = uri.getRawFragment();
    return URI.create(raw.substring(0, end) + "?" + query + (fragment == null ? "" : "#" + fragment));
  }

  /** Shorthand for {@code uriWithPrefix(uniquePrefix(hint))}. */
  public URI uriWithUniquePrefix(String hint) {
    return uriWithPrefix(uniquePrefix(hint));
  }

  /**
   * A key prefix no other test will use, like {@code t-<hint>-<8 hex digits>}; characters other
   * than letters, digits, {@code '-'} and {@code '_'} in the hint become {@code '-'}.
   */
  public static String uniquePrefix(String hint) {
    String safe = hint == null ? "" : UNSAFE.matcher(hint).replaceAll("-");
    safe = trimDashes(safe.length() > MAX_HINT_LENGTH ? safe.substring(0, MAX_HINT_LENGTH) : safe);
    return safe.isEmpty() ? "t-" + randomHex() : "t-" + safe + "-" + randomHex();
  }

  /** Eight random hex digits. */
  static String randomHex() {
    return String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  /** The URI text with {@code user:password@} turned into {@code user:***@} (and {@code password@} into {@code ***@}). */
  static String redact(String uri) {
    Matcher m = USER_INFO.matcher(uri);
    if (!m.find()) {
      return uri;
    }
    String userInfo = m.group(2);
    int colon = userInfo.indexOf(':');
    // Lettuce reads a user-info without a colon as a bare password, so hide all of it.
    String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return m.group(1) + masked + "@" + uri.substring(m.end());
  }

  private static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static int firstIndexOf(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return s.length();
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisEndpoint other && source == other.source && uri.equals(other.uri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, uri);
  }

  @Override
  public String toString() {
    return describe();
  }
}

package dev.stepper.cache.redis;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one cache manager reaches Redis, read from its URI:
 * {@code redis[s]://[user:password@]host:port[/db][?prefix=p&timeout=2s]}.
 *
 * <p>{@code prefix} (default {@value #DEFAULT_PREFIX}, or the system property
 * {@value #PREFIX_PROPERTY}) starts every key of the manager; {@code timeout} (default 2 s) bounds
 * connecting and every command. Other query parameters are Lettuce's own ({@code verifyPeer},
 * {@code clientName}, ...).
 */
public final class RedisSettings {

  /** The prefix of every key when the URI names none. */
  public static final String DEFAULT_PREFIX = "jcache";
  /** System property giving the prefix for URIs that name none. */
  public static final String PREFIX_PROPERTY = "stepper.cache.prefix";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final RedisURI redisUri;
  private final String prefix;
  private final Duration timeout;
  private final String address;

  private RedisSettings(RedisURI redisUri, String prefix, Duration timeout) {
    this.redisUri = redisUri;
    this.prefix = prefix;
    this.timeout = timeout;
    this.address = redisUri.getHost() + ":" + redisUri.getPort();
  }

  /**
   * Reads the settings from a cache manager's URI.
   *
   * @param uri a {@code redis://} or {@code rediss://} URI
   * @return the settings
   * @throws IllegalArgumentException if the URI is not of that form; the message never contains the
   *     password
   */
  public static RedisSettings parse(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("Cache manager URI " + redact(uri) + " is not a Redis URI:"
          + " use redis://[user:password@]host:port[/db][?prefix=name&timeout=2s] or rediss://...,"
          + " or name a configuration file: classpath:stepper-cache.yaml, file:/path/to/it.yaml");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("Cache manager URI " + redact(uri) + " names no host it"
          + " can read: write redis://host:port, with a numeric port and a host name without '_'");
    }
    String prefix = System.getProperty(PREFIX_PROPERTY, DEFAULT_PREFIX);
    Duration timeout = DEFAULT_TIMEOUT;
    List<String> lettuceParams = new ArrayList<>();
    for (String param : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
      switch (name) {
        case "prefix" -> prefix = value;
        case "timeout" -> timeout = parseTimeout(value, uri);
        // Lettuce 7 reads verifyPeer as a mode; accept the booleans Lettuce 6 users write.
        case "verifyPeer" -> lettuceParams.add("verifyPeer="
            + switch (value.toLowerCase(Locale.ROOT)) {
              case "false" -> "NONE";
              case "true" -> "FULL";
              default -> value;
            });
        default -> lettuceParams.add(param);
      }
    }
    KeyLayout.checkPrefix(prefix);
    RedisURI redisUri;
    try {
      redisUri = RedisURI.create(withQuery(uri, lettuceParams));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cache manager URI " + redact(uri) + " is not a valid Redis"
          + " URI: " + e.getMessage(), null);
    }
    redisUri.setTimeout(timeout);
    return new RedisSettings(redisUri, prefix, timeout);
  }

  private static Duration parseTimeout(String value, URI uri) {
    Duration timeout = Durations.parse(value);
    if (timeout == null || timeout.isZero()) {
      throw new IllegalArgumentException("timeout=" + value + " in " + redact(uri) + " is not a"
          + " positive duration: write it as 500ms, 2s or PT2S", null);
    }
    return timeout;
  }


  private static String withQuery(URI uri, List<String> params) {
    String s = uri.toString();
    int q = s.indexOf('?');
    String base = q < 0 ? s : s.substring(0, q);
    return params.isEmpty() ? base : base + "?" + String.join("&", params);
  }

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


  RedisURI redisUri() {
    return redisUri;
  }

  /** @return the prefix of every key of this manager */
  public String prefix() {
    return prefix;
  }

  /** @return the bound on connecting and on every command */
  public Duration timeout() {
    return timeout;
  }

  /** @return {@code host:port}, for messages */
  public String address() {
    return address;
  }
}

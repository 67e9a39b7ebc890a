package dev.stepper.cache.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test of an application configured by a YAML file needs: a key prefix of its own on
 * the shared Redis, handed to the file through the system properties
 * {@code stepper.test.<area>.redis} and {@code stepper.test.<area>.prefix} (the file says
 * {@code ${stepper.test.<area>.redis}}), and a plain Lettuce connection to look at the keys
 * behind the application's back.
 *
 * <p>Closing it deletes the prefix's keys, because the shared server may outlive this JVM, and
 * clears the properties, so that a later file cannot silently reuse them.
 */
public final class RedisTestBed implements AutoCloseable {

  private final String redisProperty;
  private final String prefixProperty;
  private final String prefix;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;

  private RedisTestBed(RedisEndpoint redis, String area) {
    this.redisProperty = "stepper.test." + area + ".redis";
    this.prefixProperty = "stepper.test." + area + ".prefix";
    this.prefix = RedisEndpoint.uniquePrefix(area);
    this.client = RedisClient.create(RedisURI.create(redis.uri()));
    this.connection = client.connect(ByteArrayCodec.INSTANCE);
    System.setProperty(redisProperty, redis.uri().toString());
    System.setProperty(prefixProperty, prefix);
  }

  /**
   * @param redis the test server
   * @param area names the properties, so that tests of several files in one JVM keep apart:
   *     {@code cdi}, {@code guice}, ...
   * @return the test bed, its properties set
   */
  public static RedisTestBed open(RedisEndpoint redis, String area) {
    return new RedisTestBed(redis, area);
  }

  /** @return the key prefix the YAML file is given */
  public String prefix() {
    return prefix;
  }

  /** @return {@code <prefix>:<parts joined by ':'>}, the Redis key of an entry */
  public String key(String... parts) {
    return prefix + ":" + String.join(":", parts);
  }

  private RedisCommands<byte[], byte[]> commands() {
    return connection.sync();
  }

  /** @return the value at a key as UTF-8 text, or {@code null} if there is none */
  public String text(String key) {
    byte[] value = commands().get(utf8(key));
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /**
   * @return the remaining time to live in milliseconds, as {@code PTTL} answers, of each key
   *     matching {@code <prefix>:<glob>}: also for keys that are not text
   */
  public List<Long> pttls(String glob) {
    return rawKeys(glob).stream().map(key -> commands().pttl(key)).toList();
  }

  /**
   * @return the keys matching {@code <prefix>:<glob>}, walked with SCAN, as UTF-8 text (binary
   *     parts, such as a JDK-serialized key, come out garbled but still counted)
   */
  public List<String> keys(String glob) {
    return rawKeys(glob).stream().map(key -> new String(key, StandardCharsets.UTF_8)).toList();
  }

  private List<byte[]> rawKeys(String glob) {
    List<byte[]> keys = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(utf8(prefix + ":" + glob)).limit(1_000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = commands().scan(cursor, args);
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  @Override
  public void close() {
    try {
      for (byte[] key : rawKeys("*")) {
        commands().del(key);
      }
    } finally {
      System.clearProperty(redisProperty);
      System.clearProperty(prefixProperty);
      connection.close();
      client.shutdown();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.stepper.cache.frameworks.spring;

import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis a Spring test's YAML file points at: the file reads the server and a key prefix of the
 * test's own from the system properties {@code stepper.test.spring.<name>.redis} and
 * {@code .prefix}, which this sets, and the test looks at the raw keys through a Lettuce
 * connection of its own. Closing deletes the prefix's keys, as the server may be shared.
 */
final class SpringRedis implements AutoCloseable {

  private final String redisProperty;
  private final String prefixProperty;
  private final String prefix;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  /**
   * @param redis the test's server
   * @param name the middle of the property names the YAML file reads
   */
  SpringRedis(RedisEndpoint redis, String name) {
    this.redisProperty = "stepper.test.spring." + name + ".redis";
    this.prefixProperty = "stepper.test.spring." + name + ".prefix";
    this.prefix = RedisEndpoint.uniquePrefix("spring-" + name);
    System.setProperty(redisProperty, redis.uri().toString());
    System.setProperty(prefixProperty, prefix);
    this.client = RedisClient.create(redis.uri().toString());
    this.connection = client.connect();
  }

  /** @return the key prefix the YAML file gives the cache manager */
  String prefix() {
    return prefix;
  }

  /** @return the commands of the test's own connection */
  RedisCommands<String, String> commands() {
    return connection.sync();
  }

  /** @return the keys under the prefix, walked with SCAN */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(prefix + ":*").limit(1_000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = commands().scan(cursor, args);
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  @Override
  public void close() {
    try {
      List<String> keys = keys();
      if (!keys.isEmpty()) {
        commands().del(keys.toArray(String[]::new));
      }
    } finally {
      System.clearProperty(redisProperty);
      System.clearProperty(prefixProperty);
      connection.close();
      client.shutdown();
    }
  }
}

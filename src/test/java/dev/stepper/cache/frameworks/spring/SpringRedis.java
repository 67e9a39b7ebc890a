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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redis a Spring test class's YAML file points at, registered as a static extension: before
 * the class's {@code @BeforeAll} methods it picks a key prefix of the class's own and sets the
 * system properties {@code stepper.test.spring.<name>.redis} and {@code .prefix}, which the file
 * reads; the test looks at the raw keys through a Lettuce connection of its own. After the
 * class's {@code @AfterAll} methods (which close its applications) it deletes the prefix's keys,
 * as the server may be shared, and clears the properties.
 */
final class SpringRedis implements BeforeAllCallback, AfterAllCallback {

  private final String redisProperty;
  private final String prefixProperty;
  private final String prefix;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  /** @param name the middle of the property names the YAML file reads */
  SpringRedis(String name) {
    this.redisProperty = "stepper.test.spring." + name + ".redis";
    this.prefixProperty = "stepper.test.spring." + name + ".prefix";
    this.prefix = RedisEndpoint.uniquePrefix("spring-" + name);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String uri = RedisEndpoint.shared().uri().toString();
    System.setProperty(redisProperty, uri);
    System.setProperty(prefixProperty, prefix);
    client = RedisClient.create(uri);
    connection = client.connect();
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
  public void afterAll(ExtensionContext context) {
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

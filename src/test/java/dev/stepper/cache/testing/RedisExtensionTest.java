package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RedisTest} injects one real, reachable endpoint everywhere. */
@RedisTest
class RedisExtensionTest {

  private static RedisEndpoint fromBeforeAll;
  private final RedisEndpoint fromConstructor;

  RedisExtensionTest(RedisEndpoint endpoint) {
    this.fromConstructor = endpoint;
  }

  @BeforeAll
  static void remember(RedisEndpoint endpoint) {
    fromBeforeAll = endpoint;
  }

  @Test
  void theSameEndpointIsInjectedEverywhere(RedisEndpoint endpoint) {
    assertSame(fromBeforeAll, endpoint);
    assertSame(fromConstructor, endpoint);
  }

  @Test
  void theEndpointAnswersPing(RedisEndpoint endpoint) {
    // Lettuce rather than a raw socket: a REDIS_URL server may need TLS, a password or a database.
    RedisClient client = RedisClient.create(RedisURI.create(endpoint.uri()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertEquals("PONG", connection.sync().ping());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}

package dev.stepper.cache.testing;

import java.net.URI;
import java.net.URISyntaxException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers source, kept in its own class so Testcontainers is only loaded when a Docker
 * endpoint looks present.
 */
final class TestcontainersRedis {

  private static final int REDIS_PORT = 6379;

  private TestcontainersRedis() {
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** Starts a {@code redis:7} container that is stopped at JVM exit (or when the result is closed). */
  static RedisProvisioner.Provisioned start() {
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
        .withExposedPorts(REDIS_PORT);
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "redis-testcontainer-shutdown"));
    try {
      URI uri = new URI("redis", null, container.getHost(), container.getMappedPort(REDIS_PORT), null, null, null);
      return new RedisProvisioner.Provisioned(RedisEndpoint.of(RedisEndpoint.Source.TESTCONTAINERS, uri), container::stop);
    } catch (URISyntaxException e) {
      container.stop();
      throw new IllegalStateException("unusable container address " + container.getHost(), e);
    }
  }
}

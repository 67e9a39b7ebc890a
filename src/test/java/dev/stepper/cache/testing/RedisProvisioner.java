package dev.stepper.cache.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, once per JVM, which real Redis the tests use: {@code REDIS_URL}, else Testcontainers
 * when Docker is reachable, else {@code redis-server} from {@code PATH}, else a clear failure.
 */
final class RedisProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(RedisProvisioner.class);

  private static RedisEndpoint shared;
  private static RuntimeException sharedFailure;

  private final Map<String, String> env;
  private final List<Path> dockerSockets;

  /** A provisioned server and what to close to get rid of it. */
  record Provisioned(RedisEndpoint endpoint, AutoCloseable resource) {
  }

  RedisProvisioner(Map<String, String> env, List<Path> dockerSockets) {
    this.env = Map.copyOf(env);
    this.dockerSockets = List.copyOf(dockerSockets);
  }

  /** The JVM-wide Redis, provisioned on first use; a failure is remembered and rethrown, never retried. */
  static synchronized RedisEndpoint shared() {
    UnitRun.refuseRedis("The shared Redis was asked for");
    if (shared == null && sharedFailure == null) {
      try {
        shared = forThisMachine().provision().endpoint();
        LOG.info("Redis: {}", shared.describe());
      } catch (RuntimeException e) {
        sharedFailure = e;
      }
    }
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    return shared;
  }

  static RedisProvisioner forThisMachine() {
    return new RedisProvisioner(System.getenv(), List.of(
        Path.of("/var/run/docker.sock"),
        Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock")));
  }

  /** Provisions a server following the order above; the caller owns the result. */
  Provisioned provision() {
    List<String> tried = new ArrayList<>();
    String url = env.get("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new Provisioned(RedisEndpoint.of(RedisEndpoint.Source.REDIS_URL, parse(url.trim())), () -> { });
    }
    tried.add("REDIS_URL is not set");

    if (!dockerMightExist()) {
      tried.add("no Docker endpoint (DOCKER_HOST unset, no socket at " + dockerSockets + ")");
    } else if (!dockerAvailable()) {
      tried.add("Testcontainers found no working Docker");
    } else {
      try {
        return TestcontainersRedis.start();
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("Docker is reachable but Testcontainers could not start redis:7 ({}); trying redis-server on PATH",
            e.toString());
        tried.add("Testcontainers failed: " + e);
      }
    }

    Optional<Path> binary = RedisServerProcess.findOnPath(env.get("PATH"));
    if (binary.isPresent()) {
      RedisServerProcess server = RedisServerProcess.start(binary.get());
      return new Provisioned(server.endpoint(), server);
    }
    tried.add("redis-server is not on PATH");

    throw new IllegalStateException("No Redis server for the tests (" + String.join("; ", tried) + "). "
        + "Tests need a real Redis; provide one of: "
        + "(1) set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379 (tests then isolate themselves by key prefix and never flush); "
        + "(2) make Docker reachable so Testcontainers can start redis:7 (DOCKER_HOST or /var/run/docker.sock); "
        + "(3) install redis-server on PATH (e.g. apt-get install redis-server).");
  }

  /**
   * A cheap, silent look for a Docker endpoint: asking Testcontainers when there is none costs
   * seconds and logs errors with stack traces.
   */
  boolean dockerMightExist() {
    String dockerHost = env.get("DOCKER_HOST");
    return (dockerHost != null && !dockerHost.isBlank()) || dockerSockets.stream().anyMatch(Files::exists);
  }

  private static boolean dockerAvailable() {
    try {
      return TestcontainersRedis.dockerAvailable();
    } catch (Exception | LinkageError e) {
      // Any failure here just means "no Docker"; the next source gets its chance.
      LOG.debug("Docker check failed", e);
      return false;
    }
  }

  private static URI parse(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      // Not chained: the cause's message repeats the URL, password included.
      throw new IllegalStateException("REDIS_URL is not a valid URI: " + RedisEndpoint.redact(url));
    }
  }
}

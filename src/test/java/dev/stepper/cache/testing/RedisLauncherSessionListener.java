package dev.stepper.cache.testing;

import java.net.URI;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points the provider's default URI ({@code stepper.cache.uri}) at the JVM-wide real Redis, and
 * its default key prefix ({@code stepper.cache.prefix}) at a fresh one, before any test runs, so
 * the JSR-107 TCK (which only knows the default URI) tests against a real, isolated Redis. The
 * prefix is not put in the URI: the TCK derives MXBean names from the URI and a '?' would make
 * them patterns. An explicitly set {@code stepper.cache.uri} wins; {@code stepper.test.redis=cluster}
 * points it at the JVM-wide Redis Cluster instead, for the TCK's runs on a cluster.
 * Public because {@link java.util.ServiceLoader} instantiates it.
 */
public final class RedisLauncherSessionListener implements LauncherSessionListener {

  static final String URI_PROPERTY = "stepper.cache.uri";
  static final String PREFIX_PROPERTY = "stepper.cache.prefix";
  /** {@code cluster} points the TCK at the Redis Cluster; {@code none} is the unit run. */
  static final String TOPOLOGY_PROPERTY = UnitRun.PROPERTY;

  private static final Logger LOG = LoggerFactory.getLogger(RedisLauncherSessionListener.class);

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (System.getProperty(URI_PROPERTY) != null || UnitRun.isOn()) {
      return; // set by hand, or a run of unit tests, which need no Redis
    }
    RedisEndpoint endpoint;
    try {
      endpoint = "cluster".equals(System.getProperty(TOPOLOGY_PROPERTY))
          ? RedisCluster.shared() : RedisProvisioner.shared();
    } catch (RuntimeException e) {
      // Logged as well as thrown: a launcher may wrap or truncate what escapes a listener.
      LOG.error("Cannot provide a Redis for the tests: {}", e.getMessage());
      throw e;
    }
    URI uri = endpoint.uri();
    String prefix = "tck-" + RedisEndpoint.randomHex();
    System.setProperty(URI_PROPERTY, uri.toString());
    System.setProperty(PREFIX_PROPERTY, prefix);
    LOG.info("{}={} {}={}", URI_PROPERTY, RedisEndpoint.redact(uri.toString()),
      PREFIX_PROPERTY, prefix);
  }
}

package dev.stepper.cache.frameworks.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.frameworks.FrameworkTestBed;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import io.micrometer.core.instrument.config.InvalidConfigurationException;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer's {@code JCacheMetrics} on our caches. It does not ask the cache for its numbers: it
 * reads the JCache statistics MXBean under a name it builds itself from the manager URI
 * ({@code CacheManager=<URI with ':' as '.'>}), and reads 0 when no bean has that name. So each
 * test proves that real, non-zero numbers arrive, for each kind of manager URI.
 */
@RedisTest
@Timeout(60)
class JCacheMetricsTest {

  private static final String FILE = "frameworks/micrometer/stepper-cache.yaml";

  private FrameworkTestBed bed;
  private RedisEndpoint redis;
  private CacheManager manager;

  @BeforeEach
  void open(RedisEndpoint redis) {
    this.redis = redis;
    bed = FrameworkTestBed.open(redis, "micrometer");
  }

  @AfterEach
  void close() {
    try {
      if (manager != null) {
        manager.close();
      }
    } finally {
      bed.close();
    }
  }

  @Test
  void aCacheDeclaredInAClasspathFileReportsItsHitsMissesAndPuts() {
    manager = manager(URI.create("classpath:" + FILE));
    assertCountsReachTheRegistry(manager.getCache("greetings"));
  }

  /** Hibernate hands the provider such a URI: it resolves its resource name to a URL itself. */
  @Test
  void aCacheDeclaredInAFileNamedByAFileUriReportsItsHitsMissesAndPuts()
      throws URISyntaxException {
    manager = manager(getClass().getClassLoader().getResource(FILE).toURI());
    assertCountsReachTheRegistry(manager.getCache("greetings"));
  }

  @Test
  void aCacheOfAPlainRedisUriReportsItsHitsMissesAndPuts() {
    // the prefix by system property, because a query in the URI breaks Micrometer (next test)
    var launcherPrefix = FrameworkTestBed.override("stepper.cache.prefix", bed.prefix());
    try {
      manager = manager(redis.uri());
    } finally {
      launcherPrefix.close();
    }
    assertCountsReachTheRegistry(manager.createCache("greetings",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class)
            .setStatisticsEnabled(true)));
  }

  /**
   * Micrometer puts the URI into the MXBean name unquoted, and an {@code =} is not allowed there:
   * it refuses to bind rather than report zeros. Provider-side there is nothing to match; such
   * managers are measured by declaring the Redis URI in a file (the manager URI is the file's).
   */
  @Test
  void micrometerRefusesAManagerUriWithAQuery() {
    manager = manager(redis.uriWithPrefix(bed.prefix()));
    Cache<String, String> cache = manager.createCache("greetings",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class)
            .setStatisticsEnabled(true));
    var refused = assertThrows(InvalidConfigurationException.class,
        () -> JCacheMetrics.monitor(new SimpleMeterRegistry(), cache));
    assertTrue(refused.getMessage().contains("invalid JMX name"), refused.getMessage());
  }

  private CacheManager manager(URI uri) {
    return Caching.getCachingProvider().getCacheManager(uri, getClass().getClassLoader());
  }

  private static void assertCountsReachTheRegistry(Cache<String, String> cache) {
    var registry = new SimpleMeterRegistry();
    JCacheMetrics.monitor(registry, cache);

    cache.put("ada", "Hello, Ada");
    cache.put("alan", "Hello, Alan");
    cache.put("grace", "Hello, Grace");
    assertEquals("Hello, Ada", cache.get("ada"));
    assertEquals("Hello, Grace", cache.get("grace"));
    assertEquals("Hello, Grace", cache.get("grace"));
    assertEquals(null, cache.get("edsger"));

    assertEquals(3.0, registry.get("cache.gets").tag("result", "hit").functionCounter().count());
    assertEquals(1.0, registry.get("cache.gets").tag("result", "miss").functionCounter().count());
    assertEquals(3.0, registry.get("cache.puts").functionCounter().count());
  }
}

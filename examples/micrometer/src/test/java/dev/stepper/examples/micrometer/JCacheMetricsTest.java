package dev.stepper.examples.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.RedisTestBed;
import dev.stepper.cache.testing.TemporaryProperty;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;
import io.micrometer.core.instrument.config.InvalidConfigurationException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer's {@code JCacheMetrics} on our caches. It does not ask the cache for its numbers: it
 * reads the JCache statistics MXBean under a name it builds itself from the manager URI
 * ({@code CacheManager=<URI with ':' as '.'>}), and reads 0 when no bean has that name. So the
 * tests prove, for each kind of manager URI, that real numbers arrive, or show how they do not.
 */
@RedisTest
@Timeout(60)
class JCacheMetricsTest {

  private static final String FILE = "micrometer/stepper-cache.yaml";

  private RedisTestBed bed;
  private RedisEndpoint redis;
  private CacheManager manager;

  @BeforeEach
  void open(RedisEndpoint redis) {
    this.redis = redis;
    bed = RedisTestBed.open(redis, "micrometer");
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
    assertCountsReachTheRegistry(greetings(redisUriPrefixedByProperty(redis.uri())));
  }

  /**
   * The provider names its MXBeans after the URI with the password hidden ({@code default:***@},
   * quoted for the {@code *}); Micrometer looks for the name with the password in it, finds
   * nothing and reads 0 without a word. A password in the file's {@code redis.uri} instead keeps
   * it out of the manager URI, and the numbers flow (the tests above).
   */
  @Test
  void aManagerUriWithAPasswordLeavesMicrometerReadingZeros() throws JMException {
    // with no password set, Redis's default user takes any
    URI withPassword = redis.uri().getRawUserInfo() != null ? redis.uri()
        : URI.create(redis.uri().toString().replace("://", "://default:secret@"));
    Cache<String, String> cache = greetings(redisUriPrefixedByProperty(withPassword));
    var registry = new SimpleMeterRegistry();
    JCacheMetrics.monitor(registry, cache);

    cache.put("ada", "Hello, Ada");
    assertEquals("Hello, Ada", cache.get("ada"));

    assertEquals(0.0, registry.get("cache.gets").tag("result", "hit").functionCounter().count());
    assertEquals(0.0, registry.get("cache.puts").functionCounter().count());
    // while the cache's own MXBean, the only one of that cache name, has counted
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> beans = server.queryNames(
        new ObjectName("javax.cache:type=CacheStatistics,Cache=greetings,*"), null);
    assertEquals(1, beans.size(), beans.toString());
    ObjectName bean = beans.iterator().next();
    String managerName = ObjectName.unquote(bean.getKeyProperty("CacheManager"));
    assertTrue(managerName.contains("***@"), managerName);
    assertEquals(1L, server.getAttribute(bean, "CacheHits"));
  }

  /**
   * Micrometer puts the URI into the MXBean name unquoted, and an {@code =} is not allowed there:
   * it refuses to bind rather than report zeros. Provider-side there is nothing to match; such
   * managers are measured by declaring the Redis URI in a file (the manager URI is the file's).
   */
  @Test
  void micrometerRefusesAManagerUriWithAQuery() {
    manager = manager(redis.uriWithPrefix(bed.prefix()));
    Cache<String, String> cache = greetings(manager);
    var refused = assertThrows(InvalidConfigurationException.class,
        () -> JCacheMetrics.monitor(new SimpleMeterRegistry(), cache));
    assertTrue(refused.getMessage().contains("invalid JMX name"), refused.getMessage());
  }

  /** The prefix by system property: a query in the URI breaks Micrometer (see below). */
  private CacheManager redisUriPrefixedByProperty(URI uri) {
    try (var launcherPrefix = TemporaryProperty.set("stepper.cache.prefix", bed.prefix())) {
      manager = manager(uri);
      return manager;
    }
  }

  private static Cache<String, String> greetings(CacheManager manager) {
    return manager.createCache("greetings", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(true));
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
    assertNull(cache.get("edsger"));

    assertEquals(3.0, registry.get("cache.gets").tag("result", "hit").functionCounter().count());
    assertEquals(1.0, registry.get("cache.gets").tag("result", "miss").functionCounter().count());
    assertEquals(3.0, registry.get("cache.puts").functionCounter().count());
  }
}

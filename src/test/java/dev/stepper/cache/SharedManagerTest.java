package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.ManagerProperties;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Callers that open a manager with {@link ManagerProperties#SHARED_BY_HOLDERS} (Spring contexts,
 * through the auto-configuration) each hold it: it closes with the last holder's close, so one
 * context's close leaves another's caches open. Without the property, close closes, as JCache has
 * it, and the provider's own close closes whoever holds it.
 */
@RedisTest
@Timeout(30)
class SharedManagerTest {

  private final CachingProvider provider = Caching.getCachingProvider();
  private final ClassLoader loader = getClass().getClassLoader();
  private URI uri;

  @BeforeEach
  void uri(RedisEndpoint redis) {
    uri = redis.uriWithUniquePrefix("shared");
  }

  private static Properties shared() {
    var properties = new Properties();
    properties.setProperty(ManagerProperties.SHARED_BY_HOLDERS, "true");
    return properties;
  }

  @Test
  void aSharedManagerClosesWithItsLastHolder() {
    CacheManager first = provider.getCacheManager(uri, loader, shared());
    CacheManager second = provider.getCacheManager(uri, loader, shared());
    assertSame(first, second, "one manager per URI and class loader, as JCache has it");
    Cache<String, String> cache = first.createCache("c", StringCaches.config());

    first.close();
    assertFalse(second.isClosed(), "the other holder still uses it");
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));

    second.close();
    assertTrue(first.isClosed() && cache.isClosed());
    CacheManager next = provider.getCacheManager(uri, loader, shared());
    assertNotSame(first, next, "a closed manager is replaced by a new one");
    next.close();
  }

  @Test
  void withoutThePropertyCloseClosesAndTheProvidersCloseClosesEveryHolder() {
    CacheManager plain = provider.getCacheManager(uri, loader);
    CacheManager again = provider.getCacheManager(uri, loader);
    plain.close();
    assertTrue(again.isClosed());

    CacheManager first = provider.getCacheManager(uri, loader, shared());
    provider.getCacheManager(uri, loader, shared());
    provider.close(uri, loader);
    assertTrue(first.isClosed());
  }
}

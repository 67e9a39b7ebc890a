package dev.stepper.examples.annotations.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.StepperCachingProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.ClassPathResource;

/**
 * What the README says of {@code spring.cache.cache-names}: Boot creates every cache listed there
 * with a bare configuration, so a cache the YAML file declares must not be listed (creating it
 * again throws, as JCache requires), and one the file does not declare gets its default section.
 */
@Timeout(60)
class SpringBootCacheNamesTest {

  private static final String CONFIG = "spring/cache-names.yaml";

  @RegisterExtension
  static final SpringRedis REDIS = new SpringRedis("names");

  /** An application with no caches of its own: they come from the file and the properties. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableCaching
  static class NamesApp {
  }

  @Test
  void listingADeclaredCacheStopsTheApplication() {
    var failure = assertThrows(RuntimeException.class,
        () -> SpringApps.start(NamesApp.class, CONFIG, "spring.cache.cache-names=declared"));
    Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
    assertTrue(cause instanceof CacheException && cause.getMessage().contains("declared"),
        "the cause names the cache: " + cause);
    // Boot fails before the manager it made becomes a bean, so its context does not close it
    Caching.getCachingProvider(StepperCachingProvider.class.getName())
        .getCacheManager(configUri(), null).close();
  }

  private static URI configUri() {
    try {
      return new ClassPathResource(CONFIG).getURI();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aListedCacheTheFileDoesNotDeclareGetsItsDefaultSection() {
    try (ConfigurableApplicationContext context =
        SpringApps.start(NamesApp.class, CONFIG, "spring.cache.cache-names=listed")) {
      javax.cache.CacheManager manager = context.getBean(javax.cache.CacheManager.class);
      Cache<Object, Object> listed = manager.getCache("listed");
      assertNotNull(listed, "Boot created the listed cache");
      @SuppressWarnings("unchecked")
      CompleteConfiguration<Object, Object> config =
          listed.getConfiguration(CompleteConfiguration.class);
      assertTrue(config.isStatisticsEnabled());
      assertEquals(new CreatedExpiryPolicy(new Duration(TimeUnit.MINUTES, 10)),
          config.getExpiryPolicyFactory().create());
      assertNotNull(context.getBean(org.springframework.cache.CacheManager.class)
          .getCache("declared"), "the declared cache is there too");
    }
  }
}

package dev.stepper.cache.spring;

import dev.stepper.cache.config.ManagerProperties;
import java.util.Properties;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.interceptor.KeyGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What Spring Boot's JCache support needs from Stepper Cache, added to the properties Boot opens
 * the cache manager with ({@code spring.cache.jcache.config} names the file):
 *
 * <ul>
 *   <li>the file's {@code ${…}} placeholders resolve from the application's {@code Environment}
 *       ({@code application.properties}, profiles, command-line arguments), so that
 *       {@code uri: ${spring.data.redis.url}} works;
 *   <li>every context that opens the manager holds it, and it closes with the last of them: test
 *       contexts cached side by side share it, and one context's close (a
 *       {@code @DirtiesContext}) leaves the others' caches open.
 * </ul>
 *
 * <p>It also offers the {@link ReportKeys} bean {@code reportKeys} for
 * {@code @Cacheable(cacheNames = "report", keyGenerator = "reportKeys")}.
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
    "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"})
@ConditionalOnClass(name = "javax.cache.Caching")
public class StepperCacheAutoConfiguration {

  /** Made by Spring. */
  public StepperCacheAutoConfiguration() {}

  /**
   * @return the key generator of the report cache, unless the application has a bean of that name
   */
  @Bean
  @ConditionalOnMissingBean(name = "reportKeys")
  @ConditionalOnClass(name = "org.springframework.cache.interceptor.KeyGenerator")
  public KeyGenerator reportKeys() {
    return new ReportKeys();
  }

  /** Adds this application's settings to the properties of the manager Boot opens. */
  static void customize(Properties properties, Environment environment) {
    Function<String, String> lookup = environment::getProperty;
    properties.put(ManagerProperties.PLACEHOLDER_SOURCE, lookup);
    properties.setProperty(ManagerProperties.SHARED_BY_HOLDERS, "true");
  }

  /** Spring Boot 4, where JCache support lives in {@code spring-boot-cache}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer")
  static class Boot4 {
    @Bean
    org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer
        stepperCacheProperties(Environment environment) {
      return properties -> customize(properties, environment);
    }
  }

  /** Spring Boot 3. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.autoconfigure.cache.JCachePropertiesCustomizer")
  static class Boot3 {
    @Bean
    org.springframework.boot.autoconfigure.cache.JCachePropertiesCustomizer
        stepperCacheProperties(Environment environment) {
      return properties -> customize(properties, environment);
    }
  }
}

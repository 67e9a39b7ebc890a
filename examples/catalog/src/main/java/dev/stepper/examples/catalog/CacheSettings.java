package dev.stepper.examples.catalog;

import dev.stepper.cache.spring.FallBackToMethod;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.context.annotation.Configuration;

/** While Redis is down, cached methods run as if they were not cached, rather than fail. */
@Configuration(proxyBeanMethods = false)
public class CacheSettings implements CachingConfigurer {

  @Override
  public CacheErrorHandler errorHandler() {
    return new FallBackToMethod();
  }
}

package dev.stepper.cache.tck;

import com.google.inject.Guice;
import com.google.inject.Injector;
import javax.cache.annotation.BeanProvider;
import org.jsr107.ri.annotations.guice.module.CacheAnnotationsModule;

/**
 * Hands the TCK's annotation tests their beans, intercepted by the reference implementation's
 * Guice module, which resolves caches through {@code Caching.getCachingProvider()}: ours.
 * Registered only for the annotation run (tck/annotations), so the core run does not see it.
 */
public final class GuiceBeanProvider implements BeanProvider {

  private final Injector injector = Guice.createInjector(new CacheAnnotationsModule());

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return injector.getInstance(beanClass);
  }
}

package dev.stepper.cache.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import domain.Blog;
import java.util.ServiceLoader;
import javax.cache.Caching;
import javax.cache.annotation.BeanProvider;
import javax.cache.annotation.GeneratedCacheKey;
import manager.CacheNameOnEachMethodBlogManagerImpl;
import org.junit.jupiter.api.Test;

/**
 * Guards the TCK's annotation run, which reports every test as passed when it finds no bean
 * provider: runs in that execution only, and proves the provider is found and that annotated
 * beans really go through this provider's caches in Redis.
 */
class AnnotationHarnessTest {

  @Test
  void beanProviderIsRegisteredForTheAnnotationRun() {
    BeanProvider provider = ServiceLoader.load(BeanProvider.class).findFirst().orElse(null);
    assertInstanceOf(GuiceBeanProvider.class, provider,
        "tck/annotations must register GuiceBeanProvider, or the TCK skips its annotation tests");
  }

  @Test
  void cacheResultIsStoredInThisProvidersCache() {
    var manager = new GuiceBeanProvider().getBeanByType(CacheNameOnEachMethodBlogManagerImpl.class);
    manager.createEntry(new Blog("harness", "body"));
    assertEquals("body", manager.getEntryCached("harness").getBody());

    var cache = Caching.getCachingProvider().getCacheManager()
        .<GeneratedCacheKey, Blog>getCache("blogManager");
    assertNotNull(cache, "the interceptor should have created cache 'blogManager' in our manager");
    Blog cached = cache.iterator().next().getValue();
    assertEquals("harness", cached.getTitle());
    manager.clearCache();
  }
}

package dev.stepper.examples.annotations.cdi;

import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTestBed;
import dev.stepper.cache.testing.TemporaryProperty;
import dev.stepper.examples.annotations.AnnotatedDiaryContract;
import dev.stepper.examples.annotations.DiaryService;
import java.net.URI;
import javax.cache.Caching;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jsr107.ri.annotations.cdi.BeanManagerUtil;
import org.jsr107.ri.annotations.cdi.CacheLookupUtil;
import org.jsr107.ri.annotations.cdi.CachePutInterceptor;
import org.jsr107.ri.annotations.cdi.CacheRemoveAllInterceptor;
import org.jsr107.ri.annotations.cdi.CacheRemoveEntryInterceptor;
import org.jsr107.ri.annotations.cdi.CacheResultInterceptor;
import org.jsr107.ri.annotations.cdi.InterceptorExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link DiaryService} in a Weld SE container with the JSR-107 reference implementation's CDI
 * interceptors, the four a {@code beans.xml} would enable. The interceptors use the provider's
 * default cache manager; {@code -Dstepper.cache.uri} makes that the manager of this test's file.
 */
class CdiAnnotationsTest extends AnnotatedDiaryContract {

  private static final Class<?>[] INTERCEPTORS = {CacheResultInterceptor.class,
      CachePutInterceptor.class, CacheRemoveEntryInterceptor.class,
      CacheRemoveAllInterceptor.class};
  private static final URI FILE = URI.create("classpath:cdi/stepper-cache.yaml");

  private static RedisTestBed bed;
  private static TemporaryProperty defaultUri;
  private static WeldContainer container;
  private static DiaryService service;

  @BeforeAll
  static void start(RedisEndpoint redis) {
    bed = RedisTestBed.open(redis, "cdi");
    defaultUri = TemporaryProperty.set("stepper.cache.uri", FILE.toString());
    // what bean discovery of an application would find: its service, the RI's interceptors and
    // helpers, and the extensions: the RI's, which makes the JSR-107 annotations interceptor
    // bindings, and the application's (with discovery off, Weld loads none by itself)
    container = new Weld()
        .disableDiscovery()
        .addExtensions(new InterceptorExtension(), new ReportKeysExtension())
        .addBeanClasses(DiaryService.class, CacheLookupUtil.class, BeanManagerUtil.class)
        .addBeanClasses(INTERCEPTORS)
        // what the <interceptors> element of the application's beans.xml does
        .enableInterceptors(INTERCEPTORS)
        .initialize();
    // one instance for the class: the service counts its own body calls
    service = container.select(DiaryService.class).get();
  }

  @AfterAll
  static void stop() {
    try {
      if (container != null) {
        container.shutdown();
      }
      Caching.getCachingProvider().close(FILE, Thread.currentThread().getContextClassLoader());
    } finally {
      defaultUri.close();
      bed.close();
    }
  }

  @Override
  protected DiaryService service() {
    return service;
  }

  @Override
  protected RedisTestBed bed() {
    return bed;
  }
}

package dev.stepper.examples.annotations.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.stepper.cache.testing.ContextClassLoader;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTestBed;
import dev.stepper.cache.testing.TemporaryProperty;
import dev.stepper.examples.annotations.AnnotatedDiaryContract;
import dev.stepper.examples.annotations.DiaryService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.cache.Cache;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import org.jsr107.ri.annotations.guice.module.CacheAnnotationsModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DiaryService} and {@link GreetingService} in a Guice injector with the JSR-107 reference
 * implementation's {@link CacheAnnotationsModule}, configured as an application would be: by a
 * {@code stepper-cache.yaml} at the root of its class path, which the default cache manager finds.
 * The application is a class loader over a folder holding that file, the thread's context class
 * loader while the injector is made, which is when the module resolves the default manager.
 */
class GuiceAnnotationsTest extends AnnotatedDiaryContract {

  /** The file's {@code default} expiry. */
  private static final Duration CREATED = Duration.ofHours(1);

  @TempDir
  static Path classPathRoot;
  private static RedisTestBed bed;
  private static URLClassLoader application;
  private static DiaryService diary;
  private static GreetingService greetings;

  @BeforeAll
  static void start(RedisEndpoint redis) throws IOException {
    bed = RedisTestBed.open(redis, "guice");
    try (InputStream file = GuiceAnnotationsTest.class
        .getResourceAsStream("/guice/stepper-cache.yaml")) {
      Files.copy(file, classPathRoot.resolve("stepper-cache.yaml"));
    }
    application = new URLClassLoader(new URL[] {classPathRoot.toUri().toURL()},
        GuiceAnnotationsTest.class.getClassLoader());
    // the test launcher sets stepper.cache.uri for the TCK, and the property wins over the file
    Injector injector;
    try (var launcherUri = TemporaryProperty.set("stepper.cache.uri", null)) {
      injector = ContextClassLoader.with(application,
          () -> Guice.createInjector(new CacheAnnotationsModule()));
    }
    // one instance each for the class: the services count their own body calls
    diary = injector.getInstance(DiaryService.class);
    greetings = injector.getInstance(GreetingService.class);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      Caching.getCachingProvider(application).close();
      application.close();
    } finally {
      bed.close();
    }
  }

  @Override
  protected DiaryService service() {
    return diary;
  }

  @Override
  protected RedisTestBed bed() {
    return bed;
  }

  @Test
  void aCacheTheFileDoesNotDeclareIsCreatedFromItsDefaultSection() {
    assertEquals("Hello, Ada", greetings.greet("Ada"));
    assertEquals("Hello, Ada", greetings.greet("Ada"));
    assertEquals(1, greetings.bodyCalls(), "the second call is answered by the cache");

    Cache<Object, Object> cache = Caching.getCachingProvider(application)
        .getCacheManager(URI.create("classpath:stepper-cache.yaml"), application)
        .getCache("undeclared");
    assertNotNull(cache, "the RI created the cache in the manager of the file it found");
    @SuppressWarnings("unchecked")
    CompleteConfiguration<Object, Object> configuration =
        cache.getConfiguration(CompleteConfiguration.class);
    assertTrue(configuration.isStatisticsEnabled());
    List<Long> ttls = bed.pttls("undeclared:*");
    assertEquals(1, ttls.size(), "one entry in Redis");
    long ttl = ttls.get(0);
    assertTrue(ttl > CREATED.minusMinutes(1).toMillis() && ttl <= CREATED.toMillis(),
        "the default section's 1 h from creation, not " + ttl + " ms");
  }
}

package dev.stepper.examples.annotations.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ContextClassLoader;
import java.net.URL;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application restarted as spring-boot-devtools restarts it: closed, then started again in a
 * new child-first class loader set as the thread's context class loader. A value cached before the
 * restart must come back as an instance of the class the new loader defines. A provider that
 * resolved the file's classes or decoded values through another loader (its own, the old one)
 * fails here with "Note cannot be cast to Note" or a value the cache refuses as not its type: the
 * devtools bug this guards against. Boot passes the application's class loader to
 * {@code getCacheManager}, so this holds whatever the provider's default class loader is.
 */
@Timeout(90)
class SpringBootRestartTest {

  private static final String APPLICATION = "dev.stepper.examples.annotations.spring.restart";
  private static final String CONFIG = "spring/restart-cache.yaml";

  @RegisterExtension
  static final SpringRedis REDIS = new SpringRedis("restart");

  @Test
  void aJdkSerializedValueComesBackAsTheRestartedLoadersClass() throws Exception {
    assertSurvivesRestart("notes-jdk", Notebook::jdk);
  }

  @Test
  void aJsonValueComesBackAsTheRestartedLoadersClass() throws Exception {
    assertSurvivesRestart("notes-json", Notebook::json);
  }

  private static void assertSurvivesRestart(String cache, BiFunction<Notebook, String, Object> read)
      throws Exception {
    String id = "note-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    Object written;
    javax.cache.CacheManager firstManager;
    try (RestartClassLoader first = restartLoader("restart-1");
        Restarted app = new Restarted(first)) {
      written = read.apply(app.notebook, id);
      assertSame(first, written.getClass().getClassLoader(), "the application's own class");
      assertEquals(1, app.notebook.bodyCalls());
      assertEquals(1, REDIS.bed().keys("*").stream()
          .filter(key -> key.endsWith(cache + ":" + id)).count(),
          "the note is in Redis: " + REDIS.bed().keys("*"));
      firstManager = app.context.getBean(javax.cache.CacheManager.class);
    }
    assertTrue(firstManager.isClosed(), "Boot closes the cache manager with the application");

    try (RestartClassLoader second = restartLoader("restart-2");
        Restarted app = new Restarted(second)) {
      Object again = read.apply(app.notebook, id);
      assertSame(second, again.getClass().getClassLoader(),
          "a note read after the restart must be of the restarted application's class");
      assertNotSame(written.getClass(), again.getClass());
      assertEquals(0, app.notebook.bodyCalls(), "read from Redis, not written again");
      assertEquals(written.toString(), again.toString());
      assertTrue(again.toString().contains("written in restart-1"), again.toString());
    }
  }

  private static RestartClassLoader restartLoader(String name) {
    URL classes = Notebook.class.getProtectionDomain().getCodeSource().getLocation();
    return new RestartClassLoader(name, APPLICATION, classes, Notebook.class.getClassLoader());
  }

  /** One run of the application, with its loader as the context class loader meanwhile. */
  private static final class Restarted implements AutoCloseable {
    private final ContextClassLoader contextClassLoader;
    private final ConfigurableApplicationContext context;
    private final Notebook notebook;

    Restarted(RestartClassLoader loader) throws ClassNotFoundException {
      contextClassLoader = ContextClassLoader.use(loader);
      try {
        Class<?> application = loader.loadClass(APPLICATION + ".RestartApp");
        assertSame(loader, application.getClassLoader(), "the loader defines the application");
        context = SpringApps.start(application, CONFIG);
        notebook = context.getBean(Notebook.class);
      } catch (RuntimeException | ClassNotFoundException | Error e) {
        contextClassLoader.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        context.close();
      } finally {
        contextClassLoader.close();
      }
    }
  }
}

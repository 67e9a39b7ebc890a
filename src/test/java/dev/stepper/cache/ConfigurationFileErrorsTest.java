package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.ConfigurationFile;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad configuration file fails when the manager opens, with a message that names the file, the
 * key and what was expected; nothing is left half made.
 */
@RedisTest
class ConfigurationFileErrorsTest {

  @TempDir
  Path dir;

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("an unknown key", """
            caches:
              a:
                expiry: {creatd: 1h}
            """, List.of("at 'caches.a.expiry.creatd'", "unknown key 'creatd'",
            "expected one of accessed, created, eternal")),
        Arguments.of("an unknown top-level key", "cache: {}\n",
            List.of("unknown key 'cache'", "caches, default, redis")),
        Arguments.of("a duration that is not one", """
            caches:
              a: {expiry: {created: 1 hour}}
            """, List.of("at 'caches.a.expiry.created'", "expected a duration such as 500ms",
            "got '1 hour'")),
        Arguments.of("a class that is not there", """
            caches:
              a: {value-type: com.acme.Nope}
            """, List.of("at 'caches.a.value-type'", "class 'com.acme.Nope' was not found")),
        Arguments.of("a class of the wrong kind", """
            caches:
              a: {loader: {class: java.lang.String}, read-through: true}
            """, List.of("at 'caches.a.loader.class'",
            "neither a javax.cache.integration.CacheLoader nor a")),
        Arguments.of("a placeholder nobody set", """
            redis: {uri: "${STEPPER_TEST_NOT_SET}"}
            """, List.of("at 'redis.uri'", "${STEPPER_TEST_NOT_SET} is not set",
            "${STEPPER_TEST_NOT_SET:value}")),
        Arguments.of("a key given twice", """
            caches: {a: {}}
            caches: {b: {}}
            """, List.of("not valid YAML", "Duplicate field 'caches'", "line 2")),
        Arguments.of("two expiry policies", """
            caches:
              a: {expiry: {created: 1h, eternal: true}}
            """, List.of("at 'caches.a.expiry'", "both [eternal, created]",
            "expected exactly one of")),
        Arguments.of("read-through without a loader", """
            caches:
              a: {read-through: true}
            """, List.of("at 'caches.a.read-through'", "read-through needs a loader")),
        Arguments.of("a flag that is not true or false", """
            default: {statistics: [yes]}
            """, List.of("at 'default.statistics'", "expected true or false")),
        Arguments.of("a report cache without stale-while-revalidate", """
            caches:
              report:
                loader: {report: {providers: [x.Y], timeout: 5s}}
                expiry: {created: 1h}
            """, List.of("at 'caches.report.expiry'", "a report loader needs"
            + " 'stale-while-revalidate")),
        Arguments.of("a report provider that is not one", """
            caches:
              report:
                loader: {report: {providers: [java.lang.String], timeout: 5s}}
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0]'",
            "does not implement dev.stepper.cache.report.ReportProvider")),
        Arguments.of("a Redis URI that is a file", """
            redis: {uri: "file:/tmp/x"}
            """, List.of("at 'redis.uri'", "expected a redis:// or rediss:// URI")),
        Arguments.of("an allow-list that allows everything", """
            caches:
              a: {allow: ["**"]}
            """, List.of("at 'caches.a.allow'", "'**' is not an allow-list pattern")),
        Arguments.of("an empty file", "", List.of("is empty")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void aBadFileSaysWhereAndWhatIsExpected(String what, String yaml, List<String> fragments)
      throws IOException {
    Path file = dir.resolve("stepper-cache.yaml");
    Files.writeString(file, yaml);
    var e = assertThrows(CacheException.class,
        () -> ConfigurationFile.read(file.toUri(), getClass().getClassLoader()));
    assertTrue(e.getMessage().contains(file.toUri().toString()), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }
  }

  @Test
  void aBadRedisUriNeverRepeatsThePassword() throws IOException {
    Path file = dir.resolve("secret.yaml");
    Files.writeString(file, "redis: {uri: \"redis://app:s3cret@exa mple:6379\"}\n");
    var e = assertThrows(CacheException.class,
        () -> ConfigurationFile.read(file.toUri(), getClass().getClassLoader()));
    assertTrue(e.getMessage().contains("at 'redis.uri'"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void aMissingFileSaysWhereItWasLookedFor() {
    var e = assertThrows(CacheException.class, () -> Caching.getCachingProvider()
        .getCacheManager(URI.create("classpath:nowhere/stepper-cache.yaml"), null));
    assertTrue(e.getMessage().contains("'nowhere/stepper-cache.yaml' is not on the class path"),
        e.getMessage());
  }

  @Test
  void aManagerOpensOnceTheFileIsFixed(RedisEndpoint redis) throws IOException {
    Path file = dir.resolve("fixed.yaml");
    String prefix = RedisEndpoint.uniquePrefix("config");
    Files.writeString(file, "redis: {uri: \"" + redis.uri() + "\", prefix: \"bad prefix\"}\n");
    var e = assertThrows(CacheException.class,
        () -> Caching.getCachingProvider().getCacheManager(file.toUri(), null));
    assertTrue(e.getMessage().contains(file.toUri() + " at 'redis'"), e.getMessage());

    Files.writeString(file, "redis: {uri: \"" + redis.uri() + "\", prefix: " + prefix + "}\n"
        + "caches: {a: {key-type: String, value-type: String}}\n");
    try (CacheManager manager = Caching.getCachingProvider().getCacheManager(file.toUri(), null)) {
      manager.getCache("a", String.class, String.class).put("k", "v");
      assertEquals("v", manager.getCache("a", String.class, String.class).get("k"));
      manager.destroyCache("a");
    }
  }
}

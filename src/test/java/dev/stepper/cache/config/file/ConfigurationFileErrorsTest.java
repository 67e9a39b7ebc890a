package dev.stepper.cache.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.file.ConfigurationFile;
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
        Arguments.of("a near cache without its bound", """
            caches:
              a: {near-cache: {max-ttl: 1m}}
            """, List.of("at 'caches.a.near-cache.max-entries'", "at least 1")),
        Arguments.of("a near cache whose copies last no time", """
            caches:
              a: {near-cache: {max-entries: 10, max-ttl: 0s}}
            """, List.of("at 'caches.a.near-cache.max-ttl'", "longer than zero")),
        Arguments.of("create-on-first-use on a declared cache", """
            caches:
              a: {create-on-first-use: true}
            """, List.of("at 'caches.a.create-on-first-use'", "belongs in the default section")),
        Arguments.of("read-through without a loader", """
            caches:
              a: {read-through: true}
            """, List.of("at 'caches.a.read-through'", "read-through needs a loader")),
        Arguments.of("stale-while-revalidate without a loader", """
            caches:
              a: {expiry: {stale-while-revalidate: {fresh: 1m, stale: 1h}}}
            """, List.of("at 'caches.a.expiry.stale-while-revalidate'",
            "refreshes entries through the cache's loader", "read-through: true")),
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
        Arguments.of("a budget on a class that is no provider", """
            caches:
              report:
                loader:
                  report:
                    providers: [{class: java.lang.String, max-concurrent: 0}]
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0].class'",
            "does not implement dev.stepper.cache.report.ReportProvider")),
        Arguments.of("a provider budget of no calls per minute", """
            caches:
              report:
                loader:
                  report:
                    providers:
                      - {class: dev.stepper.cache.config.file.ConfigurationFileTest$Writer, rate: -1}
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0].rate'",
            "at least 1 (leave it out for no bound), was -1")),
        Arguments.of("a provider budget of no calls at once", """
            caches:
              report:
                loader:
                  report:
                    providers:
                      - {class: dev.stepper.cache.config.file.ConfigurationFileTest$Writer, max-concurrent: 0}
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0].max-concurrent'",
            "calls in flight at once over all JVMs, at least 1")),
        Arguments.of("a rate window without a rate", """
            caches:
              report:
                loader:
                  report:
                    providers:
                      - {class: dev.stepper.cache.config.file.ConfigurationFileTest$Writer, rate-window: 1s}
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0].rate-window'",
            "add rate")),
        Arguments.of("a rate window of no time", """
            caches:
              report:
                loader:
                  report:
                    providers:
                      - {class: dev.stepper.cache.config.file.ConfigurationFileTest$Writer, rate: 5,
                         rate-window: 0s}
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0].rate-window'",
            "longer than zero")),
        Arguments.of("a provider entry without its class", """
            caches:
              report:
                loader:
                  report:
                    providers: [{max-concurrent: 2}]
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("at 'caches.report.loader.report.providers[0]'",
            "{class: <it>, max-concurrent: <calls at once>, rate: <calls per minute>}")),
        Arguments.of("an unknown key in a provider entry", """
            caches:
              report:
                loader:
                  report:
                    providers: [{class: x.Y, max-concurent: 2}]
                    timeout: 5s
                expiry: {stale-while-revalidate: {fresh: 1m}}
            """, List.of("max-concurent")),
        Arguments.of("a negative number of replicas to wait for", """
            redis: {wait-for-replicas: -1}
            """, List.of("at 'redis.wait-for-replicas'", "0 or more; got -1")),
        Arguments.of("a Redis URI that is a file", """
            redis: {uri: "file:/tmp/x"}
            """, List.of("at 'redis.uri'", "expected a redis://, rediss://, redis-sentinel://")),
        Arguments.of("an allow-list that allows everything", """
            caches:
              a: {allow: ["**"]}
            """, List.of("at 'caches.a.allow'", "'**' is not an allow-list pattern")),
        Arguments.of("a mistake in the default section, which every cache starts from", """
            caches: {a: {}}
            default: {bogus: 1}
            """, List.of("at 'default.bogus'", "unknown key 'bogus'")),
        Arguments.of("json without the class to read back", """
            caches:
              a: {value-codec: json}
            """, List.of("at 'caches.a.value-codec'", "json needs the class to read back: set"
            + " value-type")),
        Arguments.of("a codec that does not exist", """
            caches:
              a: {value-codec: xml}
            """, List.of("at 'caches.a.value-codec'", "unknown codec 'xml'",
            "jdk, json, string")),
        Arguments.of("a fraction where a count is expected", """
            caches:
              a: {expiry: {stale-while-revalidate: {fresh: 1m, job-threads: 2.5}}}
            """, List.of("at 'caches.a.expiry.stale-while-revalidate.job-threads'",
            "expected a whole number")),
        Arguments.of("a number where a flag is expected", "default: {statistics: 2}\n",
            List.of("at 'default.statistics'", "expected true or false")),
        Arguments.of("a prefix given twice", """
            redis: {uri: "redis://localhost:6379?prefix=a", prefix: b}
            """, List.of("at 'redis.prefix'", "is given twice")),
        Arguments.of("a placeholder without a name", "redis: {prefix: '${ }'}\n",
            List.of("at 'redis.prefix'", "'${}' names nothing")),
        Arguments.of("a duration too long to count in milliseconds", """
            redis: {timeout: PT9999999999999999S}
            """, List.of("at 'redis.timeout'", "expected a duration")),
        Arguments.of("a report cache with a codec of its own", """
            caches:
              report:
                loader: {report: {providers: [java.lang.String], timeout: 5s}}
                value-codec: jdk
            """, List.of("at 'caches.report.value-codec'", "codecs of its own")),
        Arguments.of("a report cache that does not read through", """
            caches:
              report:
                loader: {report: {providers: [java.lang.String], timeout: 5s}}
                read-through: false
            """, List.of("at 'caches.report.read-through'", "reads through it")),
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
  void aYamlSyntaxErrorNeverQuotesTheLineWithThePassword() throws IOException {
    Path file = dir.resolve("unclosed.yaml");
    Files.writeString(file, "redis:\n  uri: \"redis://app:s3cret@localhost:6379\n");
    var e = assertThrows(CacheException.class,
        () -> ConfigurationFile.read(file.toUri(), getClass().getClassLoader()));
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    assertTrue(e.getMessage().contains("(line "), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void aReportCacheKeepsItsOwnSettingsWhateverTheDefaultSays() throws IOException {
    Path file = dir.resolve("reports.yaml");
    Files.writeString(file, """
        default: {read-through: false, value-codec: jdk, key-type: Long, statistics: true}
        caches:
          report:
            loader: {report: {providers: [dev.stepper.cache.config.file.ConfigurationFileTest$Writer], timeout: 5s}}
            expiry: {stale-while-revalidate: {fresh: 1m}}
        """);
    var config = ConfigurationFile.read(file.toUri(), getClass().getClassLoader()).cache("report");
    assertTrue(config.isReadThrough());
    assertEquals(dev.stepper.cache.report.ReportKey.class, config.getKeyType());
    assertTrue(config.isStatisticsEnabled(), "what a report cache does not own, it inherits");
  }

  @Test
  void aValueThatIsOnePlaceholderReadsAsIfItsValueWereWrittenThere() throws IOException {
    Path file = dir.resolve("placeholders.yaml");
    Files.writeString(file, """
        redis: {prefix: "${stepper.test.unset.prefix:2026}"}
        caches:
          a:
            statistics: ${stepper.test.unset.flag:true}
            loader: {class: %s}
            read-through: true
            expiry:
              stale-while-revalidate:
                fresh: 1m
                job-threads: ${stepper.test.unset.threads:0}
                job-queue: x${stepper.test.unset.queue:5}
        """.formatted(EchoLoader.class.getName()));
    var e = assertThrows(CacheException.class,
        () -> ConfigurationFile.read(file.toUri(), getClass().getClassLoader()));
    // a placeholder inside other text stays text: only that one is refused
    assertTrue(e.getMessage().contains("at 'caches.a.expiry.stale-while-revalidate.job-queue'"),
        e.getMessage());

    Files.writeString(file, Files.readString(file).replace("x${", "${"));
    var read = ConfigurationFile.read(file.toUri(), getClass().getClassLoader());
    var config = read.cache("a");
    assertTrue(config.isStatisticsEnabled());
    var policy = (dev.stepper.cache.swr.StaleWhileRevalidate) config.getExpiryPolicyFactory()
        .create();
    assertEquals(0, policy.jobThreads());
    assertEquals(5, policy.jobQueue());
    assertEquals("2026", read.redisSettings().prefix(), "a number where a text is expected");
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

  /** A loader for caches that need one; it loads each key as its own value. */
  public static final class EchoLoader implements javax.cache.integration.CacheLoader<Object,
      Object> {
    @Override
    public Object load(Object key) {
      return key;
    }

    @Override
    public java.util.Map<Object, Object> loadAll(Iterable<?> keys) {
      var loaded = new java.util.HashMap<Object, Object>();
      keys.forEach(key -> loaded.put(key, key));
      return loaded;
    }
  }
}

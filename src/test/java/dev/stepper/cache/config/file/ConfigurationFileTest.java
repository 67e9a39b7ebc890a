package dev.stepper.cache.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.StepperCachingProvider;
import dev.stepper.cache.config.ManagerProperties;
import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.ContextClassLoader;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.TemporaryProperty;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.StreamSupport;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache manager opened from a YAML file: declared caches exist at once, configured; bare
 * configurations get the file's defaults; every form of file URI reads it; the default URI finds
 * it on the class path.
 */
@RedisTest
class ConfigurationFileTest {

  private static final String REDIS_PROPERTY = "stepper.test.config.redis";

  @TempDir
  Path dir;
  private final ManagerFixture fixture = new ManagerFixture();
  private final List<CacheManager> opened = new ArrayList<>();
  private String prefix;
  private RawRedis raw;

  @BeforeEach
  void redis(RedisEndpoint redis) {
    prefix = RedisEndpoint.uniquePrefix("config");
    System.setProperty(REDIS_PROPERTY, redis.uri().toString());
    raw = fixture.own(new RawRedis(redis.uri()));
  }

  @AfterEach
  void close() {
    opened.forEach(CacheManager::close);
    System.clearProperty(REDIS_PROPERTY);
    fixture.close();
  }

  private String file() {
    return """
        redis:
          uri: ${%s}
          prefix: %s
          timeout: 3s
        default:
          expiry: {created: 1h}
          statistics: true
        caches:
          greetings:
            key-type: String
            value-type: java.lang.String
            value-codec: string
            expiry: {created: 10m}
          report:
            loader:
              report:
                providers: [dev.stepper.cache.config.file.ConfigurationFileTest$Writer]
                timeout: 5s
            expiry:
              stale-while-revalidate: {fresh: 10m, stale: 1d, lease: 1m, job-threads: 2}
        """.formatted(REDIS_PROPERTY, prefix);
  }

  /** A report provider the file can name; it notes the context class loader it ran with. */
  public static final class Writer implements dev.stepper.cache.report.ReportProvider {
    static volatile ClassLoader contextClassLoader;

    @Override
    public String name() {
      return "test";
    }

    @Override
    public String write(ReportKey key) {
      contextClassLoader = Thread.currentThread().getContextClassLoader();
      return "diary of " + key;
    }
  }

  private Path write(String name, String yaml) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, yaml);
    return path;
  }

  private CacheManager open(URI uri, ClassLoader loader) {
    CacheManager manager = Caching.getCachingProvider().getCacheManager(uri, loader);
    opened.add(manager);
    return manager;
  }

  private URLClassLoader loaderOver(Path root) throws IOException {
    return fixture.own(new URLClassLoader(new URL[] {root.toUri().toURL()},
        getClass().getClassLoader()));
  }

  @Test
  void declaredCachesExistConfiguredWhenTheManagerOpens() throws Exception {
    CacheManager manager = open(write("stepper-cache.yaml", file()).toUri(), null);

    assertEquals(java.util.Set.of("greetings", "report"), names(manager));
    Cache<String, String> greetings = manager.getCache("greetings", String.class, String.class);
    greetings.put("hello", "world");
    assertEquals("world", new String(raw.get(prefix + ":greetings:hello"), StandardCharsets.UTF_8),
        "string codecs for key and value, under the file's prefix");
    long ttl = raw.commands().pttl(RawRedis.utf8(prefix + ":greetings:hello"));
    assertTrue(ttl > 9 * 60_000 && ttl <= 10 * 60_000, "the cache's own expiry, not the default: "
        + ttl);
    assertTrue(greetings.getConfiguration(CompleteConfiguration.class).isStatisticsEnabled(),
        "statistics come from the default section");

    Cache<ReportKey, Report> reports = manager.getCache("report");
    CompleteConfiguration<?, ?> reportConfig = reports.getConfiguration(CompleteConfiguration.class);
    assertEquals(ReportKey.class, reportConfig.getKeyType());
    assertTrue(reportConfig.isReadThrough());
    var policy = assertInstanceOf(StaleWhileRevalidate.class,
        reportConfig.getExpiryPolicyFactory().create());
    assertEquals(java.time.Duration.ofMinutes(10), policy.freshWindow());
    assertEquals(2, policy.jobThreads());
    Report first = reports.get(new ReportKey("user123", "shaabc"));
    assertInstanceOf(Report.Dehydrated.class, first, "a miss answers with a placeholder");
    assertNotNull(raw.get(prefix + ":report:user123:shaabc"));
    dev.stepper.cache.testing.Await.until(java.time.Duration.ofSeconds(20), "the report is written", () ->
        reports.get(new ReportKey("user123", "shaabc")) instanceof Report.Hydrated h
            && h.content().equals("diary of user123:shaabc"));
  }

  @Test
  void aProviderTimeoutLongerThanTheLeaseIsAccepted() throws Exception {
    // The heartbeat keeps a slow provider's lease: nothing ties the timeout to the lease.
    String yaml = file().replace("timeout: 5s", "timeout: 60s")
        .replace("lease: 1m", "lease: 3s");
    CacheManager manager = open(write("slow-provider.yaml", yaml).toUri(), null);

    Cache<ReportKey, Report> reports = manager.getCache("report");
    var policy = (StaleWhileRevalidate) reports.getConfiguration(CompleteConfiguration.class)
        .getExpiryPolicyFactory().create();
    assertEquals(java.time.Duration.ofSeconds(3), policy.lease());
  }

  @Test
  void aProviderWithABudgetMetersItsCallsInRedis() throws Exception {
    String yaml = file().replace("providers: [dev.stepper.cache.config.file.ConfigurationFileTest$Writer]",
        "providers: [{class: dev.stepper.cache.config.file.ConfigurationFileTest$Writer, max-concurrent: 2,"
            + " rate: 60, rate-window: 10s}]");
    CacheManager manager = open(write("budget.yaml", yaml).toUri(), null);
    Cache<ReportKey, Report> reports = manager.getCache("report");

    reports.get(new ReportKey("user123", "shaabc"));
    dev.stepper.cache.testing.Await.until(java.time.Duration.ofSeconds(20), "the report",
        () -> reports.get(new ReportKey("user123", "shaabc")) instanceof Report.Hydrated);

    // the rate's window remembers the call for its 10 s; the provider is named by its name()
    byte[] recent = RawRedis.utf8(prefix + ":~{report}:budget:test:recent");
    assertEquals(1L, raw.commands().zcard(recent));
    long ttl = raw.commands().pttl(recent);
    assertTrue(ttl > 0 && ttl <= 10_000, "the window's calls are kept as long as it, ttl " + ttl);
  }

  private static java.util.Set<String> names(CacheManager manager) {
    var names = new java.util.HashSet<String>();
    manager.getCacheNames().forEach(names::add);
    return names;
  }

  @Test
  void bareConfigurationsGetTheDefaultSectionOthersKeepTheirOwn() throws Exception {
    CacheManager manager = open(write("stepper-cache.yaml", file()).toUri(), null);

    Cache<Object, Object> undeclared = manager.createCache("undeclared",
        new MutableConfiguration<>());
    CompleteConfiguration<?, ?> config = undeclared.getConfiguration(CompleteConfiguration.class);
    assertEquals(new Duration(java.util.concurrent.TimeUnit.MILLISECONDS, 3_600_000),
        config.getExpiryPolicyFactory().create().getExpiryForCreation(), "created: 1h");
    assertTrue(config.isStatisticsEnabled(), "statistics: true from the default section");
    undeclared.put("k", 1);
    assertEquals(1, undeclared.get("k"));

    var own = new MutableConfiguration<Object, Object>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_MINUTE));
    Cache<Object, Object> explicit = manager.createCache("explicit", own);
    assertFalse(explicit.getConfiguration(CompleteConfiguration.class).isStatisticsEnabled(),
        "a configuration that says something is used as given");

    var e = assertThrows(CacheException.class,
        () -> manager.createCache("report", new MutableConfiguration<>()));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void undeclaredCachesAreNotFoundUnlessTheDefaultSectionCreatesThemOnFirstUse()
      throws Exception {
    CacheManager plain = open(write("plain.yaml", file()).toUri(), null);
    assertNull(plain.getCache("prices"), "JCache: a cache nobody created is not found");

    CacheManager creating = open(write("creating.yaml", file().replace(
        "  statistics: true\n", "  statistics: true\n  create-on-first-use: true\n")).toUri(),
        null);
    Cache<Object, Object> prices = creating.getCache("prices");
    assertNotNull(prices, "created on first use");
    assertSame(prices, creating.getCache("prices"), "and found afterwards");
    CompleteConfiguration<?, ?> config = prices.getConfiguration(CompleteConfiguration.class);
    assertTrue(config.isStatisticsEnabled(), "with the default section's settings");
    prices.put("sku-1", 12);
    assertEquals(12, prices.get("sku-1"));
    assertTrue(StreamSupport.stream(creating.getCacheNames().spliterator(), false)
        .anyMatch("prices"::equals));
  }

  @Test
  void aNearCacheIsDeclaredPerCacheOrForAllInTheDefaultSection() throws Exception {
    Path path = write("near.yaml", file().replace("  statistics: true\n",
        "  statistics: true\n  near-cache: {max-entries: 500, max-ttl: 30s}\n"));
    var read = ConfigurationFile.read(path.toUri(), getClass().getClassLoader());

    var expected = new NearCache(500, java.time.Duration.ofSeconds(30));
    assertEquals(expected, read.cache("greetings").getNearCache());
    assertEquals(expected, read.cache("report").getNearCache(), "a report cache too");
    assertEquals(expected, read.defaults().getNearCache());
    assertNull(ConfigurationFile.read(write("plain.yaml", file()).toUri(),
        getClass().getClassLoader()).cache("greetings").getNearCache(), "off unless asked for");
  }

  @Test
  void placeholdersResolveFromTheManagersPropertiesAndAFrameworksSourceFirst()
      throws Exception {
    String yaml = """
        redis:
          uri: ${app.redis.url}
          prefix: ${app.prefix}
        caches:
          a: {expiry: {created: "${app.ttl}"}}
        """;
    var properties = new Properties();
    properties.setProperty("app.prefix", prefix);
    String redisUri = System.getProperty(REDIS_PROPERTY);
    Function<String, String> framework = name -> switch (name) {
      case "app.redis.url" -> redisUri;
      case "app.prefix" -> "not-this-one";
      case "app.ttl" -> "10m";
      default -> null;
    };
    properties.put(ManagerProperties.PLACEHOLDER_SOURCE, framework);

    CacheManager manager = Caching.getCachingProvider().getCacheManager(
        write("framework.yaml", yaml).toUri(), null, properties);
    opened.add(manager);
    Cache<Object, Object> a = manager.getCache("a");
    a.put("k", "v");
    assertEquals(1, raw.keys(prefix + ":a:*").size(),
        "stored under the prefix of the text property, which wins over the framework's source");
    assertEquals(new Duration(java.util.concurrent.TimeUnit.MILLISECONDS, 600_000),
        ((CompleteConfiguration<?, ?>) a.getConfiguration(CompleteConfiguration.class))
            .getExpiryPolicyFactory().create().getExpiryForCreation(), "created: ${app.ttl} from the framework's source");
  }

  @Test
  void everyFormOfFileUriReadsTheFile() throws Exception {
    Path root = Files.createDirectories(dir.resolve("classes"));
    write("classes/stepper-cache.yaml", file());
    Path jar = dir.resolve("app.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("config/stepper-cache.yaml"));
      out.write(file().getBytes(StandardCharsets.UTF_8));
    }
    ClassLoader loader = loaderOver(root);
    for (String uri : List.of("classpath:stepper-cache.yaml", "classpath:/stepper-cache.yaml",
        "classpath://stepper-cache.yaml", root.resolve("stepper-cache.yaml").toUri().toString(),
        "jar:" + jar.toUri() + "!/config/stepper-cache.yaml")) {
      CacheManager manager = open(URI.create(uri), loader);
      assertEquals(java.util.Set.of("greetings", "report"), names(manager), uri);
      assertEquals(URI.create(uri), manager.getURI());
    }
  }

  @Test
  void theDefaultUriIsTheFileOnTheContextClassPath() throws Exception {
    Path root = Files.createDirectories(dir.resolve("app"));
    write("app/stepper-cache.yaml", file());
    ClassLoader app = loaderOver(root);
    // the test run names a Redis URI for the TCK; an application that does not, finds the file
    try (var unnamed = TemporaryProperty.set(StepperCachingProvider.URI_PROPERTY, null)) {
      CacheManager manager;
      try (var context = ContextClassLoader.use(app)) {
        var provider = Caching.getCachingProvider(StepperCachingProvider.class.getName());
        assertSame(app, provider.getDefaultClassLoader());
        assertEquals(URI.create("classpath:stepper-cache.yaml"), provider.getDefaultURI());
        manager = provider.getCacheManager();
        opened.add(manager);
        assertSame(app, manager.getClassLoader());
        assertNotNull(manager.getCache("greetings"));
      }

      // a caller on another class loader starts the job: the provider still runs with the app's
      Cache<ReportKey, Report> reports = manager.getCache("report");
      ReportKey key = new ReportKey("loader", "sha1");
      reports.get(key);
      dev.stepper.cache.testing.Await.until(java.time.Duration.ofSeconds(20), "the report",
          () -> reports.get(key) instanceof Report.Hydrated);
      assertSame(app, Writer.contextClassLoader);
    }
  }

  /** A loader whose constructor opens another manager, as application code may. */
  public static final class NestedLoader implements javax.cache.integration.CacheLoader<String,
      String> {
    public NestedLoader() {
      Caching.getCachingProvider().getCacheManager(
          URI.create(System.getProperty(REDIS_PROPERTY) + "?prefix=nested"), null);
    }

    @Override
    public String load(String key) {
      return key;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      return java.util.Map.of();
    }
  }

  @Test
  void codeRunWhileAManagerOpensMayOpenAnother() throws Exception {
    CacheManager manager = open(write("nested.yaml", """
        redis: {uri: "${%s}", prefix: %s}
        caches:
          a: {key-type: String, value-type: String, loader: {class: %s}, read-through: true}
        """.formatted(REDIS_PROPERTY, prefix, NestedLoader.class.getName())).toUri(), null);
    opened.add(Caching.getCachingProvider().getCacheManager(
        URI.create(System.getProperty(REDIS_PROPERTY) + "?prefix=nested"), null));
    assertEquals("k", manager.getCache("a", String.class, String.class).get("k"));
  }

  @Test
  void theDefaultUriFollowsTheClassLoaderAskedFor() throws Exception {
    Path root = Files.createDirectories(dir.resolve("other"));
    write("other/stepper-cache.yaml", file());
    try (var unnamed = TemporaryProperty.set(StepperCachingProvider.URI_PROPERTY, null)) {
      CacheManager manager = open(null, loaderOver(root));
      assertEquals(URI.create("classpath:stepper-cache.yaml"), manager.getURI(),
          "the loader given has the file, though the thread's does not");
      assertNotNull(manager.getCache("greetings"));
    }
  }
}

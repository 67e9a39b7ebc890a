package dev.stepper.examples.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.report.Report;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTestBed;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

/**
 * The catalog application runs unchanged against a real Redis, configured as a user configures
 * it: {@code application.properties}, the YAML file, and the Redis address and key prefix given
 * as command-line arguments (Spring's Environment, which the file's placeholders read). Spring's
 * own annotations cache what they should, on Boot 4.1 and, in the build's second pass, Boot 3.5.
 */
@Timeout(120)
class CatalogApplicationTest {

  private static RedisTestBed bed;
  private static ConfigurableApplicationContext context;
  private static Catalog catalog;

  @BeforeAll
  static void start() {
    bed = RedisTestBed.open(RedisEndpoint.shared(), "catalog");
    context = run(RedisEndpoint.shared().uri().toString());
    catalog = context.getBean(Catalog.class);
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  /** The application as {@code main} runs it, with Spring Boot's command-line arguments. */
  private static ConfigurableApplicationContext run(String redisUrl, String... more) {
    return SpringApplication.run(CatalogApplication.class, arguments(redisUrl, more));
  }

  private static String[] arguments(String redisUrl, String... more) {
    var args = new ArrayList<>(List.of("--spring.data.redis.url=" + redisUrl,
        "--catalog.cache.prefix=" + bed.prefix(), "--spring.main.banner-mode=off"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void runsOnTheBootLineTheBuildAsksFor() {
    String line = System.getProperty("spring-boot.line", "4");
    String version = SpringBootVersion.getVersion();
    assertTrue(version.startsWith(line + "."), "Spring Boot " + version + ", expected " + line);
  }

  @Test
  void aRecordWithARecordOfItsOwnIsStoredAsReadableJsonAndServedFromTheCache() {
    ProductDto first = catalog.product("p-json");
    assertEquals(first, catalog.product("p-json"));
    assertEquals(1, calls("product", () -> catalog.product("p-json")) + 1,
        "the method ran once, for the first call");
    assertEquals("{\"id\":\"p-json\",\"name\":\"Product p-json\",\"supplier\":{\"country\":\"NL\","
        + "\"name\":\"Acme\"},\"updatedAt\":\"2026-12-01T09:30:00Z\"}",
        bed.text(bed.key("products", "p-json")), "JSON under the readable key, dates as ISO text");
  }

  @Test
  void aMethodOfSeveralArgumentsIsCachedPerArgumentsAndAllEntriesEvictsEveryOne() {
    BigDecimal eur = catalog.price("p-2", "EUR");
    assertEquals(0, calls("price", () -> assertEquals(eur, catalog.price("p-2", "EUR"))));
    assertEquals(1, calls("price", () -> catalog.price("p-2", "USD")), "other arguments");
    assertEquals(2, bed.keys("prices:*").size(),
        "the undeclared cache 'prices' was made on first use and holds both");

    catalog.repriceAll();

    assertEquals(List.of(), bed.keys("prices:*"),
        "@CacheEvict(allEntries = true) removed every entry, SimpleKeys and all");
    assertEquals(1, calls("price", () -> catalog.price("p-2", "EUR")));
  }

  @Test
  void aNullResultIsCachedAndServedAsNull() {
    assertNull(catalog.findByName("no-such-name"));
    assertEquals(0, calls("findByName", () -> assertNull(catalog.findByName("no-such-name"))),
        "the cached null answers");
    assertEquals(1, bed.keys("lookups:no-such-name").size());
  }

  @Test
  void putStoresWhatTheMethodReturnedAndEvictForgetsIt() {
    var renamed = new ProductDto("p-put", "Renamed", new ProductDto.Supplier("Zeta", "DE"),
        Instant.parse("2026-12-02T10:00:00Z"));
    catalog.save(renamed);
    assertEquals(0, calls("product", () -> assertEquals(renamed, catalog.product("p-put"))),
        "@CachePut stored the saved product");

    catalog.delete("p-put");

    assertEquals(List.of(), bed.keys("products:p-put"));
    assertEquals(1, calls("product", () -> catalog.product("p-put")), "evicted, so asked again");
  }

  @Test
  void conditionAndUnlessDecideWhatIsCached() {
    catalog.productIfLong("ab");
    assertEquals(1, calls("productIfLong", () -> catalog.productIfLong("ab")),
        "condition false: never cached");
    catalog.productIfLong("abc");
    assertEquals(0, calls("productIfLong", () -> catalog.productIfLong("abc")));

    catalog.stock("p-sold-out");
    assertEquals(1, calls("stock", () -> catalog.stock("p-sold-out")), "unless: 0 not cached");
    catalog.stock("p-in-stock");
    assertEquals(0, calls("stock", () -> catalog.stock("p-in-stock")));
  }

  /**
   * {@code sync = true} over two applications on two cache managers (another URI of the same
   * file, as another JVM would have): of eight callers at once, one runs the method.
   */
  @Test
  void syncRunsTheMethodOnceForConcurrentCallersOfTwoApplications() throws Exception {
    String sameFileOtherUri = new ClassPathResource("stepper-cache.yaml").getURI().toString();
    try (var other = run(RedisEndpoint.shared().uri().toString(),
        "--spring.cache.jcache.config=" + sameFileOtherUri)) {
      Catalog second = other.getBean(Catalog.class);
      ExecutorService threads = Executors.newFixedThreadPool(8);
      try {
        var start = new CountDownLatch(1);
        Set<String> results = ConcurrentHashMap.newKeySet();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          Catalog through = i % 2 == 0 ? catalog : second;
          done.add(threads.submit(() -> {
            start.await();
            return results.add(through.summary("p-sync"));
          }));
        }
        start.countDown();
        for (Future<?> each : done) {
          each.get();
        }
        assertEquals(Set.of("Summary of p-sync"), results);
        assertEquals(1, catalog.calls("summary") + second.calls("summary"),
            "one caller of eight ran the method");
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void theReportCacheWorksThroughCacheableWithTheShippedKeyGenerator() {
    Diaries diaries = context.getBean(Diaries.class);

    assertInstanceOf(Report.Dehydrated.class, diaries.diary("alice", "c0ffee1"),
        "a miss answers at once with a placeholder");
    var report = Await.success(Duration.ofSeconds(20),
        () -> assertInstanceOf(Report.Hydrated.class, diaries.diary("alice", "c0ffee1")));

    assertEquals("What alice did in c0ffee1", report.content());
    assertTrue(bed.text(bed.key("report", "alice", "c0ffee1")).contains("\"state\":\"hydrated\""),
        "under the report's readable key");
    assertEquals(0, diaries.bodyCalls());
  }

  /** A mistake a user may make: two arguments on a cache declared with String keys. */
  public static class Misdeclared {
    private final AtomicInteger runs = new AtomicInteger();

    /** Spring's key is a SimpleKey of both arguments, which 'products' does not take. */
    @Cacheable("products")
    public ProductDto byVendor(String vendor, String id) {
      runs.incrementAndGet();
      return null;
    }

    /** The report cache without {@code keyGenerator = "reportKeys"}: a SimpleKey again. */
    @Cacheable("report")
    public Report diary(String user, String sha) {
      runs.incrementAndGet();
      return null;
    }

    /** @return how often the methods ran */
    public int runs() {
      return runs.get();
    }
  }

  @Test
  void aKeyThatCannotFitTheCacheFailsBeforeTheMethodRuns() {
    try (var app = new SpringApplicationBuilder(CatalogApplication.class, Misdeclared.class)
        .run(arguments(RedisEndpoint.shared().uri().toString()))) {
      Misdeclared misdeclared = app.getBean(Misdeclared.class);

      var e = assertThrows(ClassCastException.class, () -> misdeclared.byVendor("acme", "p-1"));

      assertTrue(e.getMessage().contains("holds keys of type java.lang.String, not "
          + SimpleKey.class.getName()) && e.getMessage().contains("keyGenerator"),
          e.getMessage());
      var report = assertThrows(ClassCastException.class,
          () -> misdeclared.diary("alice", "c0ffee2"));
      assertTrue(report.getMessage().contains("holds keys of type "
          + "dev.stepper.cache.report.ReportKey"), report.getMessage());
      assertEquals(0, misdeclared.runs(), "the methods did not run");
    }
  }

  /**
   * Two contexts on one file share one cache manager, as Spring's test contexts do; closing one
   * (a {@code @DirtiesContext}) leaves the other's caches open.
   */
  @Test
  void closingOneOfTwoContextsLeavesTheOthersCachesOpen() {
    var other = run(RedisEndpoint.shared().uri().toString());
    javax.cache.CacheManager shared = other.getBean(javax.cache.CacheManager.class);
    assertSame(context.getBean(javax.cache.CacheManager.class), shared);

    other.close();

    assertFalse(shared.isClosed());
    catalog.product("p-after-close");
    assertEquals(0, calls("product", () -> catalog.product("p-after-close")));
  }

  /** With Redis gone, the error handler lets the methods answer; mistakes still fail. */
  @Test
  void withRedisDownTheMethodsAnswer() throws IOException {
    Path ownCopy = Files.createTempFile("catalog", ".yaml");
    try (var in = new ClassPathResource("stepper-cache.yaml").getInputStream()) {
      Files.copy(in, ownCopy, StandardCopyOption.REPLACE_EXISTING);
    }
    // a manager is one per file URI and class loader: another URI, so another Redis
    PrivateRedis redis = PrivateRedis.start("to stop Redis under a running application");
    try (var app = run(redis.endpoint().uri().toString(),
        "--spring.cache.jcache.config=" + ownCopy.toUri())) {
      Catalog onPrivate = app.getBean(Catalog.class);
      onPrivate.product("p-down");
      assertEquals(0, calls(onPrivate, "product", () -> onPrivate.product("p-down")));

      redis.close();

      assertEquals(1, calls(onPrivate, "product", () -> onPrivate.product("p-down")),
          "the cache cannot be read, so the method runs");
      assertEquals("Product p-down", onPrivate.product("p-down").name());
    } finally {
      redis.close();
      Files.delete(ownCopy);
    }
  }

  private static int calls(String method, Runnable call) {
    return calls(catalog, method, call);
  }

  private static int calls(Catalog on, String method, Runnable call) {
    int before = on.calls(method);
    call.run();
    return on.calls(method) - before;
  }
}

package dev.stepper.cache.report;

import static dev.stepper.cache.report.ReportProviders.provider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.report.ProviderAttempt;
import dev.stepper.cache.report.ProviderChain;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import dev.stepper.cache.swr.Backoff;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report model through {@link ReportCache} on a server of its own, so that the manager can use
 * the product's prefix {@code stepper} and the keys read exactly {@code stepper:report:<user>:<sha>}:
 * placeholder with progress, hydrated report with the providers tried, failure with retry time,
 * the facade's eight functions, and bad keys.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class ReportCacheTest {

  @RegisterExtension
  static final PrivateRedis REDIS = new PrivateRedis(
      "redis-server is not on PATH: these tests use the fixed prefix 'stepper' on a server alone");

  private static final Duration FRESH = Duration.ofSeconds(30);
  private static final Duration STALE = Duration.ofMinutes(5);

  private final ManagerFixture fixture = new ManagerFixture();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private final AtomicInteger localCalls = new AtomicInteger();
  private volatile boolean localFails;
  private CacheManager manager;
  private ReportCache reports;

  @BeforeEach
  void open() {
    REDIS.raw().commands().flushall();
    manager = fixture.manager(REDIS.endpoint().uriWithPrefix("stepper"));
    ReportProvider flaky = provider("flaky", key -> {
      flakyCalls.incrementAndGet();
      throw new IllegalStateException("quota exceeded");
    });
    ReportProvider local = provider("local", key -> {
      localCalls.incrementAndGet();
      assertTrue(release.await(30, TimeUnit.SECONDS));
      if (localFails) {
        throw new IllegalStateException("summariser down");
      }
      return "# Diary of " + key.sha() + " by " + key.user();
    });
    reports = ReportCache.create(manager, StaleWhileRevalidate.fresh(FRESH).stale(STALE)
        .backoff(Backoff.exponential(Duration.ofMillis(400), 2, Duration.ofSeconds(5))),
        ProviderChain.of(Duration.ofSeconds(20), flaky, local));
  }

  @AfterEach
  void close() {
    release.countDown();
    fixture.close();
  }

  @Test
  void aMissStoresAReadablePlaceholderThenTheHydratedReportWithTheProvidersTried() {
    ReportKey key = reports.buildCacheKey("user123", "shaabc");

    Report first = reports.get(key);
    var placeholder = assertInstanceOf(Report.Dehydrated.class, first);
    String stored = storedJson("stepper:report:user123:shaabc");
    assertTrue(stored.contains("\"state\":\"dehydrated\""), stored);
    assertTrue(stored.contains(placeholder.jobId()), stored);

    // the generator reports progress while the local provider works: same job, newer stage
    Await.until(Duration.ofSeconds(10), "progress past the flaky provider",
        () -> reports.get(key) instanceof Report.Dehydrated d
            && d.progress().stage().equals("asking local"));
    var pending = assertInstanceOf(Report.Dehydrated.class, reports.get(key));
    assertEquals(placeholder.jobId(), pending.jobId());
    assertTrue(pending.progress().percent() > 0);

    release.countDown();
    Await.until(Duration.ofSeconds(10), "the hydrated report",
        () -> reports.get(key) instanceof Report.Hydrated);
    var hydrated = (Report.Hydrated) reports.get(key);
    assertEquals("# Diary of shaabc by user123", hydrated.content());
    assertEquals(List.of("flaky", "local"),
        hydrated.providers().stream().map(ProviderAttempt::provider).toList());
    assertEquals(ProviderAttempt.Outcome.ERROR, hydrated.providers().get(0).outcome());
    assertEquals("quota exceeded", hydrated.providers().get(0).message());
    assertEquals(ProviderAttempt.Outcome.OK, hydrated.providers().get(1).outcome());
    assertTrue(reports.isHydratedFresh(hydrated));
    assertFalse(reports.isStaleButUsable(hydrated));
    assertTrue(storedJson("stepper:report:user123:shaabc").contains("\"state\":\"hydrated\""));
    assertEquals(1, localCalls.get());
    long ttl = REDIS.raw().commands().pttl(RawRedis.utf8("stepper:report:user123:shaabc"));
    assertTrue(ttl > STALE.toMillis() && ttl <= FRESH.plus(STALE).toMillis(), "ttl " + ttl);
  }

  @Test
  void aFailedGenerationIsServedUntilItsRetryTimeThenRetriedWithOneMoreAttempt() {
    ReportKey key = reports.buildCacheKey("user123", "shabad");
    localFails = true;
    release.countDown();

    reports.get(key);
    Await.until(Duration.ofSeconds(10), "the failure record",
        () -> reports.get(key) instanceof Report.Failed);
    var failed = (Report.Failed) reports.get(key);
    assertEquals(1, failed.attempts());
    assertTrue(failed.retryAt().isAfter(failed.failedAt()));
    assertEquals(List.of("flaky", "local"),
        failed.providers().stream().map(ProviderAttempt::provider).toList());
    assertTrue(failed.error().contains("summariser down"), failed.error());
    assertTrue(storedJson("stepper:report:user123:shabad").contains("\"state\":\"failed\""));

    Await.until(Duration.ofSeconds(10), "a second failed attempt after the retry time",
        () -> reports.get(key) instanceof Report.Failed f && f.attempts() == 2);
    assertEquals(2, localCalls.get());
  }

  @Test
  void theFacadeFunctionsReplaceOnlyTheirOwnJobsPlaceholder() {
    ReportKey key = reports.buildCacheKey("user9", "cafe01");
    var mine = reports.setDehydrated(key, "job-1");
    assertNotNull(mine);
    assertNull(reports.setDehydrated(key, "job-2"), "a second placeholder must not replace one");

    assertFalse(reports.setHydrated(key, "job-2", "late", List.of()));
    assertNull(reports.markFailed(key, "job-2", "late failure", 1));
    assertEquals(mine, reports.getReportCache().get(key));

    assertTrue(reports.setHydrated(key, "job-1", "done", List.of()));
    var done = assertInstanceOf(Report.Hydrated.class, reports.getReportCache().get(key));
    assertEquals("done", done.content());
    assertNull(reports.markFailed(key, "job-1", "too late", 1), "the report is hydrated already");
    assertEquals(0, localCalls.get(), "the facade's writes never generate a report");

    var old = new Report.Hydrated("old", Instant.now().minus(FRESH).minusSeconds(1), List.of());
    assertFalse(reports.isHydratedFresh(old));
    assertTrue(reports.isStaleButUsable(old));
    var dead = new Report.Hydrated("dead", Instant.now().minus(FRESH).minus(STALE), List.of());
    assertFalse(reports.isStaleButUsable(dead));
    assertFalse(reports.isHydratedFresh(mine));
  }

  @Test
  void placeholdersAndFailuresWrittenThroughTheFacadeLiveByTheirLeaseAndRetryTime() {
    ReportKey key = reports.buildCacheKey("user9", "cafe02");
    String redisKey = "stepper:report:user9:cafe02";
    long policyTtl = FRESH.plus(STALE).toMillis();

    reports.setDehydrated(key, "job-1");
    long placeholderTtl = REDIS.raw().commands().pttl(RawRedis.utf8(redisKey));
    assertTrue(placeholderTtl > 0 && placeholderTtl <= reports.policy().lease().toMillis(),
        "a placeholder lives until its lease ends, not " + placeholderTtl + " ms");

    var failed = reports.markFailed(key, "job-1", "quota", 5);
    assertNotNull(failed);
    long failureTtl = REDIS.raw().commands().pttl(RawRedis.utf8(redisKey));
    long untilRetry = failed.retryAt().toEpochMilli() - System.currentTimeMillis();
    long kept = failed.retryAt().toEpochMilli() - failed.failedAt().toEpochMilli()
        + reports.policy().backoff().max().toMillis();
    assertTrue(failureTtl > untilRetry && failureTtl <= kept && kept < policyTtl,
        "a failure record lives past its retry time by the backoff's maximum (" + kept
            + " ms), not " + failureTtl + " ms");
  }

  @Test
  void theSharedRedisClientReachesTheSameServer() {
    try (StatefulRedisConnection<String, String> connection = reports.getRedisClient(RedisClient.class).connect()) {
      assertEquals("PONG", connection.sync().ping());
    }
  }

  @Test
  void badKeysAreRefusedWithWhatIsExpected() {
    var colon = assertThrows(IllegalArgumentException.class,
        () -> reports.buildCacheKey("user:1", "abc"));
    assertTrue(colon.getMessage().contains("user 'user:1'"), colon.getMessage());
    var blank = assertThrows(IllegalArgumentException.class,
        () -> reports.buildCacheKey("user1", ""));
    assertTrue(blank.getMessage().contains("letters or digits"), blank.getMessage());
    assertEquals(List.of(), REDIS.raw().keys("stepper:*"));
  }

  private String storedJson(String key) {
    byte[] bytes = REDIS.raw().get(key);
    assertNotNull(bytes, key + " is not in Redis");
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

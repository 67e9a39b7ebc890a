package dev.stepper.examples.annotations.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.StepperCachingProvider;
import dev.stepper.cache.report.ProviderAttempt;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.Await;
import dev.stepper.examples.annotations.DiaryService;
import dev.stepper.examples.annotations.FlakyProvider;
import dev.stepper.examples.annotations.GatedSummariser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;

/**
 * Spring Boot's own JCache auto-configuration, given nothing but {@code spring.cache.*} properties
 * naming our provider and a YAML file, runs the report cache behind the JSR-107 annotations of
 * {@link DiaryService}: a placeholder at once, the report once written, the stale report served
 * while one refresh runs. The application is configured by properties and the file alone.
 */
@Timeout(90)
class SpringBootJCacheTest {

  private static final String CONFIG = "spring/stepper-cache.yaml";
  private static final String USER = "alice";

  @RegisterExtension
  static final SpringRedis REDIS = new SpringRedis("boot");

  private static ConfigurableApplicationContext context;
  private static DiaryService diaries;

  /** How often the test called the annotated method, to compare with the cache's statistics. */
  private int calls;

  /** A Boot application as a user writes one: the cache settings are all in properties. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableCaching
  static class DiaryApp {
    @Bean
    DiaryService diaryService() {
      return new DiaryService();
    }
  }

  @BeforeAll
  static void start() {
    FlakyProvider.reset();
    GatedSummariser.reset();
    context = SpringApps.start(DiaryApp.class, CONFIG);
    diaries = context.getBean(DiaryService.class);
  }

  @AfterAll
  static void stop() {
    GatedSummariser.open();
    if (context != null) {
      context.close();
    }
  }

  @Test
  void bootBuildsOurCacheManagerFromTheYamlFileNamedInItsProperties() throws IOException {
    javax.cache.CacheManager manager = context.getBean(javax.cache.CacheManager.class);
    assertInstanceOf(StepperCachingProvider.class, manager.getCachingProvider());
    assertEquals(new ClassPathResource(CONFIG).getURI(), manager.getURI(),
        "Boot hands the file's URI to the provider as the manager's URI");
    JCacheCacheManager spring = assertInstanceOf(JCacheCacheManager.class,
        context.getBean(org.springframework.cache.CacheManager.class));
    assertSame(manager, spring.getCacheManager());

    Cache<?, ?> report = manager.getCache("report");
    assertNotNull(report, "the YAML file declares cache 'report'");
    @SuppressWarnings("unchecked")
    CompleteConfiguration<Object, Object> config =
        report.getConfiguration(CompleteConfiguration.class);
    assertTrue(config.isReadThrough() && config.isStatisticsEnabled());
    assertEquals(StaleWhileRevalidate.fresh(Duration.ofSeconds(1)).stale(Duration.ofHours(1))
        .lease(Duration.ofMinutes(1)), config.getExpiryPolicyFactory().create());
  }

  /**
   * The build's second pass asks for Boot 3.5 with {@code -Dspring-boot.line=3.5}, which Surefire
   * hands on to the tests; a profile that stopped switching the line would fail here.
   */
  @Test
  void runsOnTheBootLineTheBuildAsksFor() {
    String line = System.getProperty("spring-boot.line", "4");
    String version = SpringBootVersion.getVersion();
    assertTrue(version.startsWith(line + "."), "Spring Boot " + version + ", expected " + line);
  }

  @Test
  void aDiaryIsAPlaceholderThenTheReportThenServedStaleWhileOneRefreshRuns() throws JMException {
    String sha = "c0ffee" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    long getsBefore = cacheGets();
    GatedSummariser.close();

    var placeholder = assertInstanceOf(Report.Dehydrated.class, diary(sha),
        "a miss answers at once with a placeholder while the report is written");
    String stored = REDIS.bed().text(REDIS.bed().key("report", USER, sha));
    assertNotNull(stored, "the placeholder is in Redis under the report's readable key");
    assertTrue(stored.contains("\"state\":\"dehydrated\"") && stored.contains(placeholder.jobId()),
        stored);
    Await.until(Duration.ofSeconds(10), "the summariser to be asked",
        () -> GatedSummariser.calls() == 1);
    var pending = assertInstanceOf(Report.Dehydrated.class, diary(sha));
    assertEquals(placeholder.jobId(), pending.jobId(), "a second call joins the running job");

    GatedSummariser.open();
    var report = Await.success(Duration.ofSeconds(10),
        () -> assertInstanceOf(Report.Hydrated.class, diary(sha)));
    assertEquals("Diary of " + sha + " by " + USER + ", draft 1", report.content());
    assertTried(report);
    assertEquals(1, GatedSummariser.calls());

    // The refresh is held at the gate: every call until it starts, and one after, must be
    // answered with the report already there, not wait for the new one.
    GatedSummariser.close();
    List<Report> served = new ArrayList<>();
    Await.until(Duration.ofSeconds(10), "a refresh once the report is no longer fresh", () -> {
      served.add(diary(sha));
      return GatedSummariser.calls() == 2;
    });
    served.add(diary(sha));
    served.forEach(each -> assertEquals(report, each, "a fresh or stale report is served as is"));
    assertEquals(1, GatedSummariser.waiting(), "the calls returned while the refresh was held");

    GatedSummariser.open();
    var refreshed = Await.success(Duration.ofSeconds(10), () -> {
      var now = assertInstanceOf(Report.Hydrated.class, diary(sha));
      assertTrue(now.generatedAt().isAfter(report.generatedAt()), "not refreshed yet");
      return now;
    });
    assertEquals("Diary of " + sha + " by " + USER + ", draft 2", refreshed.content());
    assertTried(refreshed);
    assertEquals(2, GatedSummariser.calls(), "one generation, one refresh");
    assertEquals(2, FlakyProvider.calls(), "one generation, one refresh");
    assertEquals(0, diaries.bodyCalls(), "the cache's loader answers; the method body never runs");
    assertEquals(calls, cacheGets() - getsBefore, "each call is one get in the statistics");
  }

  private Report diary(String sha) {
    calls++;
    return diaries.diary(USER, sha);
  }

  private static void assertTried(Report.Hydrated report) {
    assertEquals(List.of("flaky", "summariser"),
        report.providers().stream().map(ProviderAttempt::provider).toList());
    assertEquals(List.of(ProviderAttempt.Outcome.ERROR, ProviderAttempt.Outcome.OK),
        report.providers().stream().map(ProviderAttempt::outcome).toList());
    assertEquals("quota exceeded", report.providers().get(0).message());
  }

  /** The statistics MXBean JCache names after the manager's URI, this file's. */
  private static long cacheGets() throws JMException {
    var server = ManagementFactory.getPlatformMBeanServer();
    String managerUri = context.getBean(javax.cache.CacheManager.class).getURI().toString();
    Set<ObjectName> names = server.queryNames(new ObjectName(
        "javax.cache:type=CacheStatistics,CacheManager="
            + managerUri.replaceAll("[,:=\n]", ".") + ",Cache=report"), null);
    assertEquals(1, names.size(), "statistics MXBeans of the report cache: " + names);
    return (Long) server.getAttribute(names.iterator().next(), "CacheGets");
  }
}

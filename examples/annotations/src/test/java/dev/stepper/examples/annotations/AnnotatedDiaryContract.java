package dev.stepper.examples.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.stepper.cache.testing.RedisTestBed;

import dev.stepper.cache.report.Report;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.RedisTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The report flow through {@link DiaryService}'s {@code @CacheResult} method, whatever framework
 * intercepts it: the cache {@code report} is declared in the framework's YAML file with the chain
 * {@link FlakyProvider}, {@link GatedSummariser} and a fresh window of 1 s, so the cache answers
 * every call and the method body never runs.
 */
@RedisTest
@Timeout(60)
public abstract class AnnotatedDiaryContract {

  /** The fresh window of the YAML files: short, so that a report goes stale within a test. */
  private static final Duration FRESH = Duration.ofSeconds(1);
  private static final Duration BOUND = Duration.ofSeconds(20);

  /** @return the framework's instance of the service, the same one for the whole class */
  protected abstract DiaryService service();

  /** @return the test bed whose prefix the YAML file was given */
  protected abstract RedisTestBed bed();

  @BeforeEach
  void closeTheGate() {
    GatedSummariser.reset();
    GatedSummariser.close();
  }

  @AfterEach
  void openTheGate() {
    GatedSummariser.open();
  }

  @Test
  void aMissIsAPlaceholderAtOnceThenTheHydratedReportWithTheProvidersTried() {
    var placeholder = assertInstanceOf(Report.Dehydrated.class, service().diary("ada", "cafe01"));
    String key = bed().key("report", "ada", "cafe01");
    String stored = bed().text(key);
    assertNotNull(stored, key + " is not in Redis");
    assertTrue(stored.contains("\"state\":\"dehydrated\"") && stored.contains(placeholder.jobId()),
        stored);

    GatedSummariser.open();
    Report.Hydrated hydrated = awaitHydrated("ada", "cafe01");
    assertEquals("Diary of cafe01 by ada, draft 1", hydrated.content());
    assertEquals(List.of("flaky: ERROR", "summariser: OK"), hydrated.providers().stream()
        .map(tried -> tried.provider() + ": " + tried.outcome()).toList());
    assertTrue(bed().text(key).contains("\"state\":\"hydrated\""), bed().text(key));
    assertEquals(0, service().bodyCalls(), "the cache answers, not the method body");
  }

  @Test
  void aStaleReportIsServedAtOnceWhileOneBackgroundRefreshReplacesIt() {
    GatedSummariser.open();
    service().diary("grace", "beef02");
    Report.Hydrated first = awaitHydrated("grace", "beef02");

    // the refresh waits at the gate, so a call that waited for it would never return
    GatedSummariser.close();
    Await.until(BOUND, "the fresh window to end",
        () -> Instant.now().isAfter(first.generatedAt().plus(FRESH)));
    List<Report> served = new ArrayList<>();
    Await.until(BOUND, "a call on the stale report to start a refresh", () -> {
      served.add(service().diary("grace", "beef02"));
      return GatedSummariser.calls() == 2;
    });
    served.add(service().diary("grace", "beef02"));
    assertTrue(served.stream().allMatch(first::equals), "stale report served: " + served);

    GatedSummariser.open();
    Report.Hydrated refreshed = Await.success(BOUND, () -> {
      var report = assertInstanceOf(Report.Hydrated.class, service().diary("grace", "beef02"));
      assertTrue(report.generatedAt().isAfter(first.generatedAt()), "not refreshed yet");
      return report;
    });
    assertEquals("Diary of beef02 by grace, draft 2", refreshed.content());
    assertEquals(2, GatedSummariser.calls(), "one refresh, however many calls saw it stale");
    assertEquals(0, service().bodyCalls(), "the cache answers, not the method body");
  }

  private Report.Hydrated awaitHydrated(String user, String sha) {
    return Await.success(BOUND,
        () -> assertInstanceOf(Report.Hydrated.class, service().diary(user, sha)));
  }
}

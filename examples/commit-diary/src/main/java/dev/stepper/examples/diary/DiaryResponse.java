package dev.stepper.examples.diary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepper.cache.report.ProviderAttempt;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the diary service answers, as HTTP: a report's state becomes a status code and headers
 * that any HTTP client or cache understands.
 *
 * @param status the HTTP status
 * @param headers the headers besides {@code Content-Type}
 * @param body the JSON body
 */
public record DiaryResponse(int status, Map<String, String> headers, ObjectNode body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A generation takes seconds: polling once a second shows its progress without flooding the
   * service.
   */
  static final int POLL_SECONDS = 1;

  /** Copies the headers, keeping their order. */
  public DiaryResponse {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /**
   * @param report what the cache answered
   * @param cache the cache, whose policy tells fresh from stale
   * @param now the time to measure ages and waits against
   * @return 202 while generating, 200 with the report, 503 after a failed generation
   */
  public static DiaryResponse of(Report report, ReportCache cache, Instant now) {
    if (report instanceof Report.Dehydrated d) {
      return dehydrated(d);
    }
    if (report instanceof Report.Hydrated h) {
      return hydrated(h, cache.isHydratedFresh(h), now);
    }
    return failed((Report.Failed) report, now);
  }

  /**
   * @param status the HTTP status
   * @param headers headers that say more, such as {@code Retry-After}
   * @param message what went wrong
   * @return the response: {@code {"error": message}}
   */
  public static DiaryResponse error(int status, Map<String, String> headers, String message) {
    return new DiaryResponse(status, headers, JSON.createObjectNode().put("error", message));
  }

  private static DiaryResponse dehydrated(Report.Dehydrated report) {
    ObjectNode body = JSON.createObjectNode()
        .put("state", "dehydrated")
        .put("jobId", report.jobId())
        .put("requestedAt", report.requestedAt().toString())
        .put("leaseUntil", report.leaseUntil().toString());
    body.putObject("progress")
        .put("stage", report.progress().stage())
        .put("percent", report.progress().percent());
    return new DiaryResponse(202, Map.of("Retry-After", String.valueOf(POLL_SECONDS)), body);
  }

  private static DiaryResponse hydrated(Report.Hydrated report, boolean fresh, Instant now) {
    ObjectNode body = JSON.createObjectNode()
        .put("state", "hydrated")
        .put("generatedAt", report.generatedAt().toString())
        .put("content", report.content());
    body.set("providers", providers(report.providers()));
    long age = Math.max(0, Duration.between(report.generatedAt(), now).toSeconds());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Cache", fresh ? "fresh" : "stale");
    headers.put("Age", String.valueOf(age));
    return new DiaryResponse(200, headers, body);
  }

  private static DiaryResponse failed(Report.Failed report, Instant now) {
    ObjectNode body = JSON.createObjectNode()
        .put("state", "failed")
        .put("error", report.error())
        .put("attempts", report.attempts())
        .put("failedAt", report.failedAt().toString())
        .put("retryAt", report.retryAt().toString());
    body.set("providers", providers(report.providers()));
    return new DiaryResponse(503, Map.of("Retry-After",
        String.valueOf(secondsUntil(report.retryAt(), now))), body);
  }

  /** Rounded up, and at least 1: {@code Retry-After: 0} would invite a busy loop. */
  private static long secondsUntil(Instant then, Instant now) {
    long millis = Duration.between(now, then).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }

  private static JsonNode providers(List<ProviderAttempt> tried) {
    return JSON.valueToTree(tried);
  }

  /** @return the body as JSON text */
  public String json() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a JSON tree: " + e.getMessage(), e);
    }
  }
}

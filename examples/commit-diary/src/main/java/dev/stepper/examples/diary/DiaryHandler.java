package dev.stepper.examples.diary;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import dev.stepper.cache.report.ReportKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@code GET /diary/{user}/{sha}} from the annotated service, and 404 for anything else. */
final class DiaryHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DiaryHandler.class);
  private static final Pattern DIARY = Pattern.compile("/diary/([^/]+)/([^/]+)");
  /** Long enough for a Redis restart or a full job queue to pass. */
  private static final String CACHE_DOWN_RETRY_SECONDS = "5";

  private final CommitDiaries diaries;
  private final ReportCache reports;

  DiaryHandler(CommitDiaries diaries, ReportCache reports) {
    this.diaries = diaries;
    this.reports = reports;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    DiaryResponse response;
    try {
      response = respond(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
    } catch (CacheException e) {
      LOG.warn("Cache failure on {}: {}", exchange.getRequestURI(), e.toString());
      response = DiaryResponse.error(503, Map.of("Retry-After", CACHE_DOWN_RETRY_SECONDS),
          "The cache is not available: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("Failed to serve {}", exchange.getRequestURI(), e);
      response = DiaryResponse.error(500, Map.of(), e.toString());
    }
    send(exchange, response);
  }

  private DiaryResponse respond(String method, String path) {
    Matcher diary = DIARY.matcher(path);
    if (!diary.matches()) {
      return DiaryResponse.error(404, Map.of(), "No such resource: " + path
          + "; the service has GET /diary/{user}/{sha}");
    }
    if (!method.equals("GET")) {
      return DiaryResponse.error(405, Map.of("Allow", "GET"), method + " is not supported; use GET");
    }
    ReportKey key;
    try {
      key = new ReportKey(diary.group(1), diary.group(2));
    } catch (IllegalArgumentException e) {
      return DiaryResponse.error(400, Map.of(), e.getMessage());
    }
    Report report = diaries.diary(key.user(), key.sha());
    return DiaryResponse.of(report, reports, Instant.now());
  }

  private static void send(HttpExchange exchange, DiaryResponse response) throws IOException {
    byte[] body = (response.json() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    response.headers().forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}

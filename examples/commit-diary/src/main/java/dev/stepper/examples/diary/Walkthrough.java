package dev.stepper.examples.diary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepper.cache.report.ReportCache;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The tour of the service: miss, placeholder, report, stale report, refreshed report, failure,
 * bad request. {@link #printGuide} prints it as curl lines to try by hand; {@link #run} walks it
 * itself over HTTP and prints what each step got.
 */
final class Walkthrough {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A commit id no repository has, to show a failed generation. */
  static final String UNKNOWN_SHA = "0000000";
  static final String USER = "alice";

  private final URI service;
  private final String sha;
  private final Duration fresh;
  private final String redisKey;
  private final String redisCli;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param service the service's address
   * @param sha a commit of the repository
   * @param fresh the cache's fresh window
   * @param redisKey the Redis key of {@link #USER}'s report on {@code sha}
   * @param redisCli the {@code redis-cli} command that reaches the cache's Redis
   */
  Walkthrough(URI service, String sha, Duration fresh, String redisKey, String redisCli) {
    this.service = service;
    this.sha = sha;
    this.fresh = fresh;
    this.redisKey = redisKey;
    this.redisCli = redisCli;
  }

  /**
   * Removes the tour's entries, so that it starts with a miss even on a Redis that kept them from
   * an earlier run ({@code REDIS_URL}).
   *
   * @param reports the service's report cache
   */
  void startFromAMiss(ReportCache reports) {
    reports.getReportCache().removeAll(Set.of(reports.buildCacheKey(USER, sha),
        reports.buildCacheKey(USER, UNKNOWN_SHA)));
  }

  void printGuide(PrintStream out) {
    String diary = "curl -i " + url(USER, sha);
    long wait = fresh.toSeconds() + 1;
    out.println("Try it:");
    out.println("  " + diary);
    out.println("      # a miss: 202, {\"state\":\"dehydrated\",\"jobId\":…,\"progress\":…}, Retry-After: 1");
    out.println("  " + diary);
    out.println("      # seconds later: 200, X-Cache: fresh, Age; providers: flaky ERROR, then local OK");
    out.println("  sleep " + wait + "; " + diary);
    out.println("      # past the " + fresh.toSeconds() + " s fresh window: 200, X-Cache: stale, served at"
        + " once while a refresh runs in the background");
    out.println("  " + diary);
    out.println("      # seconds later: 200, X-Cache: fresh, a newer generatedAt");
    out.println("  curl -i " + url(USER, UNKNOWN_SHA) + "   # twice: 202, then 503 with Retry-After");
    out.println("  " + redisCli + " GET " + redisKey + "   # the entry, as readable JSON");
  }

  /**
   * Walks the tour, printing each answer.
   *
   * @param out where to print
   * @param stored reads a Redis key's value as text
   * @return whether every step got the answer it expected
   * @throws IOException if the service cannot be reached
   * @throws InterruptedException if interrupted while waiting
   */
  boolean run(PrintStream out, UnaryOperator<String> stored)
      throws IOException, InterruptedException {
    Duration patience = Duration.ofSeconds(60);
    out.println("1. A miss: the cache stores a placeholder and generates the report in the background.");
    HttpResponse<String> first = get(out, USER, sha, true);
    if (!expect(out, first, 202)) {
      return false;
    }
    out.println("2. Poll every Retry-After seconds until the report is there.");
    HttpResponse<String> report = poll(out, USER, sha, patience, true,
        r -> r.statusCode() != 202);
    if (!expect(out, report, 200) || !expect(out, report, "X-Cache", "fresh")) {
      return false;
    }
    Instant generatedAt = Instant.parse(body(report).path("generatedAt").asText());
    out.println("3. Wait past the " + fresh.toSeconds() + " s fresh window: the report is served"
        + " stale at once, and refreshed in the background.");
    pauseUntil(generatedAt.plus(fresh).plusSeconds(1));
    HttpResponse<String> stale = get(out, USER, sha, false);
    if (!expect(out, stale, 200) || !expect(out, stale, "X-Cache", "stale")) {
      return false;
    }
    out.println("4. Poll until the refreshed report is there.");
    HttpResponse<String> refreshed = poll(out, USER, sha, patience, false,
        r -> r.statusCode() != 200 || !generatedAt.toString()
            .equals(body(r).path("generatedAt").asText()));
    if (!expect(out, refreshed, 200) || !expect(out, refreshed, "X-Cache", "fresh")) {
      return false;
    }
    out.println("5. An unknown commit: every provider fails, so the report fails until its retry"
        + " time (the cache logs the failed job at WARN).");
    HttpResponse<String> failed = poll(out, USER, UNKNOWN_SHA, patience, true,
        r -> r.statusCode() != 202);
    if (!expect(out, failed, 503)) {
      return false;
    }
    out.println("6. A user id the report key refuses.");
    if (!expect(out, get(out, "alice!bob", sha, true), 400)) {
      return false;
    }
    out.println("7. The entry in Redis: " + redisCli + " GET " + redisKey);
    out.println(String.valueOf(stored.apply(redisKey)).indent(3).stripTrailing());
    return true;
  }

  private HttpResponse<String> poll(PrintStream out, String user, String commit, Duration bound,
      boolean withBody, Predicate<HttpResponse<String>> done)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(bound);
    HttpResponse<String> response = fetch(user, commit);
    while (!done.test(response) && Instant.now().isBefore(deadline)) {
      print(out, response, false);
      pauseUntil(Instant.now().plusSeconds(retryAfter(response)));
      response = fetch(user, commit);
    }
    print(out, response, withBody);
    return response;
  }

  private HttpResponse<String> get(PrintStream out, String user, String commit, boolean withBody)
      throws IOException, InterruptedException {
    HttpResponse<String> response = fetch(user, commit);
    print(out, response, withBody);
    return response;
  }

  private HttpResponse<String> fetch(String user, String commit)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url(user, commit)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status line and the headers the tour is about; the body only where it says something new. */
  private static void print(PrintStream out, HttpResponse<String> response, boolean withBody) {
    StringBuilder line = new StringBuilder("   HTTP " + response.statusCode());
    for (String header : new String[] {"Retry-After", "X-Cache", "Age"}) {
      response.headers().firstValue(header).ifPresent(value ->
          line.append("  ").append(header).append(": ").append(value));
    }
    JsonNode generatedAt = body(response).path("generatedAt");
    if (!generatedAt.isMissingNode()) {
      line.append("  generatedAt: ").append(generatedAt.asText());
    }
    JsonNode progress = body(response).path("progress");
    if (!progress.isMissingNode()) {
      line.append("  progress: ").append(progress.path("stage").asText()).append(" ")
          .append(progress.path("percent").asInt()).append("%");
    }
    out.println(line);
    if (withBody) {
      out.println(response.body().strip().indent(3).stripTrailing());
    }
  }

  private static boolean expect(PrintStream out, HttpResponse<String> response, int status) {
    if (response.statusCode() == status) {
      return true;
    }
    out.println("   UNEXPECTED: wanted HTTP " + status + ", got " + response.statusCode());
    return false;
  }

  private static boolean expect(PrintStream out, HttpResponse<String> response, String header,
      String value) {
    String got = response.headers().firstValue(header).orElse(null);
    if (value.equals(got)) {
      return true;
    }
    out.println("   UNEXPECTED: wanted " + header + ": " + value + ", got " + got);
    return false;
  }

  private static long retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("Retry-After").map(Long::parseLong)
        .orElse((long) DiaryResponse.POLL_SECONDS);
  }

  private static JsonNode body(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("The service answered no JSON: " + response.body(), e);
    }
  }

  private static void pauseUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private URI url(String user, String commit) {
    return service.resolve("/diary/" + user + "/" + commit);
  }
}

package dev.stepper.cache.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A cache entry of the report cache, in exactly one of three states, stored as JSON with a
 * {@code "state"} field: {@code dehydrated}, {@code hydrated} or {@code failed}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Report.Dehydrated.class, name = "dehydrated"),
    @JsonSubTypes.Type(value = Report.Hydrated.class, name = "hydrated"),
    @JsonSubTypes.Type(value = Report.Failed.class, name = "failed")})
public sealed interface Report {

  /**
   * Being generated: come back later.
   *
   * @param jobId the generation's id
   * @param requestedAt when generation was requested
   * @param progress how far it got
   * @param leaseUntil when the generation is presumed dead if it has not finished
   */
  record Dehydrated(String jobId, Instant requestedAt, Progress progress, Instant leaseUntil)
      implements Report {
    /** Checks that every field is there. */
    public Dehydrated {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(requestedAt, "requestedAt");
      Objects.requireNonNull(progress, "progress");
      Objects.requireNonNull(leaseUntil, "leaseUntil");
    }
  }

  /**
   * The finished report.
   *
   * @param content the report
   * @param generatedAt when it was generated
   * @param providers the providers tried, in order, with their outcomes
   */
  record Hydrated(String content, Instant generatedAt, List<ProviderAttempt> providers)
      implements Report {
    /** Checks that every field is there. */
    public Hydrated {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(generatedAt, "generatedAt");
      providers = providers == null ? List.of() : List.copyOf(providers);
    }
  }

  /**
   * Generation failed: served until {@code retryAt}, then the next request starts a new attempt.
   *
   * @param error what went wrong, in one line
   * @param attempts failed attempts in a row
   * @param failedAt when the last attempt failed
   * @param retryAt when a new attempt may start
   * @param providers the providers the last attempt tried, if known
   */
  record Failed(String error, int attempts, Instant failedAt, Instant retryAt,
      List<ProviderAttempt> providers) implements Report {
    /** Checks that every field is there. */
    public Failed {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(failedAt, "failedAt");
      Objects.requireNonNull(retryAt, "retryAt");
      if (attempts < 1) {
        throw new IllegalArgumentException("A failed report counts at least 1 attempt, was "
            + attempts);
      }
      providers = providers == null ? List.of() : List.copyOf(providers);
    }
  }

  /**
   * How far a generation got, as its generator reports.
   *
   * @param stage what it is doing
   * @param percent 0 to 100
   * @param updatedAt when it said so
   */
  record Progress(String stage, int percent, Instant updatedAt) {
    /** Checks the fields. */
    public Progress {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(updatedAt, "updatedAt");
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("Progress percent must be 0-100, was " + percent);
      }
    }
  }
}

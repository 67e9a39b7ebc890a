package dev.stepper.cache.swr;

import java.time.Instant;
import java.util.Objects;

/**
 * What a stored value stands for, as a {@link BackgroundLoader} tells the cache.
 *
 * @param kind ready, pending or failed
 * @param until for {@link Kind#PENDING}, when the generation's lease ends and it is presumed dead;
 *     for {@link Kind#FAILED}, when a retry is allowed; {@code null} for {@link Kind#READY}
 * @param failedAttempts for {@link Kind#FAILED}, how many generations failed in a row
 */
public record EntryState(Kind kind, Instant until, int failedAttempts) {

  /** The three states of a value. */
  public enum Kind {
    /** A real value: served, and refreshed once stale. */
    READY,
    /** A placeholder for a value being generated. */
    PENDING,
    /** The record of a failed generation, served until a retry is allowed. */
    FAILED
  }

  private static final EntryState READY_STATE = new EntryState(Kind.READY, null, 0);

  /** Checks that the fields fit the kind. */
  public EntryState {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.READY) != (until == null)) {
      throw new IllegalArgumentException("A " + kind + " state " + (until == null
          ? "needs a time until which it holds" : "has no time limit"));
    }
    if ((kind == Kind.FAILED) != (failedAttempts > 0) || failedAttempts < 0) {
      throw new IllegalArgumentException(kind == Kind.FAILED
          ? "A FAILED state counts at least 1 failed attempt, was " + failedAttempts
          : "Only a FAILED state counts failed attempts; " + kind + " had " + failedAttempts);
    }
  }

  /** @return the state of a real value */
  public static EntryState ready() {
    return READY_STATE;
  }

  /**
   * @param leaseUntil when the generation is presumed dead if it has not finished
   * @return the state of a placeholder
   */
  public static EntryState pending(Instant leaseUntil) {
    return new EntryState(Kind.PENDING, leaseUntil, 0);
  }

  /**
   * @param failedAttempts how many generations failed in a row, at least 1
   * @param retryAt when a new generation may start
   * @return the state of a failure record
   * @throws IllegalArgumentException if {@code failedAttempts} is less than 1
   */
  public static EntryState failed(int failedAttempts, Instant retryAt) {
    return new EntryState(Kind.FAILED, Objects.requireNonNull(retryAt, "retryAt"),
        failedAttempts);
  }
}

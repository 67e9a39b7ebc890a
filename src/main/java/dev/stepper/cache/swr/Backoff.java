package dev.stepper.cache.swr;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retrying a generation that failed: exponential, capped, with jitter so
 * that the retries of many entries that failed together spread out. Immutable.
 *
 * <p>The delay before retry {@code n} (the first failure is {@code n = 1}) is
 * {@code min(max, initial * multiplier^(n-1))}, reduced by a random share of up to
 * {@code jitter} of it.
 */
public final class Backoff implements Serializable {

  private static final long serialVersionUID = 1L;

  /** 30 s, doubling, at most 1 h, with up to 20% jitter. */
  public static final Backoff DEFAULT = exponential(Duration.ofSeconds(30), 2, Duration.ofHours(1))
      .withJitter(0.2);

  private final Duration initial;
  private final double multiplier;
  private final Duration max;
  private final double jitter;

  private Backoff(Duration initial, double multiplier, Duration max, double jitter) {
    this.initial = initial;
    this.multiplier = multiplier;
    this.max = max;
    this.jitter = jitter;
  }

  /**
   * @param initial the delay after the first failure; positive
   * @param multiplier how much each further failure multiplies it; at least 1
   * @param max the longest delay; at least {@code initial}
   * @return a backoff without jitter
   * @throws IllegalArgumentException if a bound is out of range
   */
  public static Backoff exponential(Duration initial, double multiplier, Duration max) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("Backoff initial delay must be positive, was " + initial);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("Backoff multiplier must be a finite number of at least 1,"
          + " was " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "Backoff max " + max + " must not be shorter than the initial delay " + initial);
    }
    return new Backoff(initial, multiplier, max, 0);
  }

  /**
   * @param share the largest part of a delay that may be taken off at random, in {@code [0, 1)}
   * @return this backoff with that jitter
   * @throws IllegalArgumentException if the share is out of range
   */
  public Backoff withJitter(double share) {
    if (!(share >= 0 && share < 1)) {
      throw new IllegalArgumentException("Backoff jitter must be in [0, 1), was " + share);
    }
    return new Backoff(initial, multiplier, max, share);
  }

  /**
   * @param failures failed attempts so far, at least 1
   * @return how long to wait before the next attempt
   * @throws IllegalArgumentException if {@code failures} is less than 1
   */
  public Duration delay(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("A backoff follows at least 1 failure, was " + failures);
    }
    double millis = initial.toMillis() * Math.pow(multiplier, failures - 1);
    double capped = Math.min(millis, max.toMillis());
    double jittered = capped * (1 - jitter * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(Math.max(1, Math.round(jittered)));
  }

  /** @return the delay after the first failure */
  public Duration initial() {
    return initial;
  }

  /** @return how much each further failure multiplies the delay */
  public double multiplier() {
    return multiplier;
  }

  /** @return the longest delay */
  public Duration max() {
    return max;
  }

  /** @return the largest share of a delay taken off at random */
  public double jitter() {
    return jitter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Backoff b && b.initial.equals(initial) && b.multiplier == multiplier
        && b.max.equals(max) && b.jitter == jitter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(initial, multiplier, max, jitter);
  }

  @Override
  public String toString() {
    return "Backoff[" + initial + " x" + multiplier + " up to " + max + ", jitter " + jitter + "]";
  }
}

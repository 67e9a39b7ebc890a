package dev.stepper.cache.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * A cache's near cache: copies of hot entries in this JVM's memory, served without a round trip
 * and dropped as soon as Redis says the entry changed (server-assisted client-side caching), or
 * when the entry's time in Redis or {@code maxTtl} runs out.
 *
 * @param maxEntries how many entries this JVM keeps, at most (the least used go first)
 * @param maxTtl how long a copy is served at most, however long the entry lives in Redis
 */
public record NearCache(int maxEntries, Duration maxTtl) implements Serializable {

  /**
   * @throws IllegalArgumentException if {@code maxEntries} is not positive or {@code maxTtl} not
   *     longer than zero
   */
  public NearCache {
    Objects.requireNonNull(maxTtl, "maxTtl");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("A near cache keeps at least one entry: max-entries was "
          + maxEntries);
    }
    if (maxTtl.isNegative() || maxTtl.isZero()) {
      throw new IllegalArgumentException("A near cache's max-ttl must be longer than zero, was "
          + maxTtl);
    }
  }
}

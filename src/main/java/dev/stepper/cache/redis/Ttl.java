package dev.stepper.cache.redis;

/**
 * What a write does to an entry's time-to-live in Redis.
 *
 * <p>JCache's expiry policy is evaluated by the cache; Redis only carries its verdict and reclaims
 * the entry when the time comes.
 */
public final class Ttl {

  /** No expiry. */
  public static final Ttl ETERNAL = new Ttl("E");
  /** Leave the time-to-live as it is. */
  public static final Ttl KEEP = new Ttl("K");
  /** Expired at once: not stored, or removed. */
  public static final Ttl ZERO = new Ttl("0");

  private final String arg;

  private Ttl(String arg) {
    this.arg = arg;
  }

  /**
   * @param millis how long the entry lives; rounded up to 1 ms so that a tiny duration is not
   *     taken for {@link #ZERO}
   * @return the time-to-live
   */
  public static Ttl millis(long millis) {
    return new Ttl(Long.toString(Math.max(1, millis)));
  }

  String arg() {
    return arg;
  }

  /** @return whether this is a time in milliseconds */
  boolean isMillis() {
    return this != ETERNAL && this != KEEP && this != ZERO;
  }

  @Override
  public String toString() {
    return arg;
  }
}

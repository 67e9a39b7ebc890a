package dev.stepper.cache.redis;

/**
 * An entry's stored bytes and the time Redis gives it before reclaiming it.
 *
 * @param bytes the stored bytes
 * @param remainingMillis milliseconds left, or {@code -1} if the entry never expires
 */
public record TimedValue(byte[] bytes, long remainingMillis) {

  /** @return whether Redis will reclaim the entry by itself */
  public boolean expires() {
    return remainingMillis >= 0;
  }
}

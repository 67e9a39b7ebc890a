package dev.stepper.cache.redis;

import javax.cache.CacheException;

/**
 * A cache operation failed because Redis could not be reached in time: not connected, no answer
 * within the timeout, or the connection dropped with the command in flight. The one public type of
 * this package, so that an application can tell an outage (fall back to computing the value, as
 * {@code dev.stepper.cache.spring.FallBackToMethod} does) from a mistake (a wrong key type, a
 * refused class), which it should not hide.
 */
public class RedisUnavailableException extends CacheException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and what to check
   * @param cause Lettuce's failure, may be {@code null}
   */
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

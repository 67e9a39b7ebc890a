package dev.stepper.cache.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce event loops and timers, shared by every open cache manager of the JVM and shut down
 * when the last one closes, so that many managers do not mean many thread pools.
 */
final class SharedResources {

  /** The first retry of a lost connection. */
  static final Duration FIRST_RETRY = Duration.ofMillis(50);
  /** The longest wait between two retries: a server that is back is found within about it. */
  static final Duration LONGEST_RETRY = Duration.ofMillis(500);

  private static ClientResources resources;
  private static int users;

  private SharedResources() {}

  static synchronized ClientResources acquire() {
    if (users++ == 0) {
      resources = DefaultClientResources.builder()
          // Reconnect quickly after an outage instead of Lettuce's default backoff up to 30 s,
          // yet never more than twice a second per connection however many callers wait.
          .reconnectDelay(Delay.exponential(FIRST_RETRY, LONGEST_RETRY, 2, TimeUnit.MILLISECONDS))
          .build();
    }
    return resources;
  }

  /**
   * @param failures consecutive failed attempts to connect, at least one
   * @return how long to wait before the next, as Lettuce waits between its reconnects
   */
  static Duration retryDelay(int failures) {
    long millis = FIRST_RETRY.toMillis() << Math.min(failures - 1, 16);
    return Duration.ofMillis(Math.min(millis, LONGEST_RETRY.toMillis()));
  }

  static synchronized void release(ClientResources released, Duration timeout) {
    if (released == resources && --users == 0) {
      resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
      resources = null;
    }
  }
}

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

  private static ClientResources resources;
  private static int users;

  private SharedResources() {}

  static synchronized ClientResources acquire() {
    if (users++ == 0) {
      resources = DefaultClientResources.builder()
          // Reconnect quickly after an outage instead of Lettuce's default backoff up to 30 s.
          .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
              TimeUnit.MILLISECONDS))
          .build();
    }
    return resources;
  }

  static synchronized void release(Duration timeout) {
    if (--users == 0) {
      resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
      resources = null;
    }
  }
}

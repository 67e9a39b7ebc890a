package dev.stepper.cache;

import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.Caching;

/**
 * A worker JVM for tests that kill one: it opens the cache on the URI it is given, starts the
 * generation of {@code k} with a generator that never finishes, prints {@code STARTED} and waits
 * to be killed. Its heartbeat keeps the job's lease until the JVM dies.
 */
final class HangingWorker {

  static final String STARTED = "STARTED";

  private HangingWorker() {}

  /** @param args the manager URI, and the lease in milliseconds */
  public static void main(String[] args) throws Exception {
    StaleWhileRevalidate policy = RevalidationHeartbeatTest.policy(
        Duration.ofMillis(Long.parseLong(args[1])));
    var generator = new Generator().answering((key, job, call) -> {
      TimeUnit.DAYS.sleep(1);
      return "never";
    });
    var cache = Caching.getCachingProvider().getCacheManager(URI.create(args[0]),
        HangingWorker.class.getClassLoader())
        .createCache(RevalidationFixture.CACHE, RevalidationFixture.config(policy, generator));
    cache.get("k");
    while (generator.calls().isEmpty()) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    System.out.println(STARTED);
    System.out.flush();
    TimeUnit.DAYS.sleep(1);
  }
}

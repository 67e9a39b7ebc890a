package dev.stepper.examples.diary;

import dev.stepper.cache.StepperCachingProvider;
import dev.stepper.cache.testing.RedisEndpoint;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;

/**
 * The README's first command: a few cache calls against a real Redis, printing what happens.
 * Uses {@code REDIS_URL} when set, else starts Redis the way the tests do.
 */
public final class QuickStart {

  private QuickStart() {}

  /**
   * Runs the example.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    if (System.getProperty(StepperCachingProvider.URI_PROPERTY) == null) {
      RedisEndpoint redis = RedisEndpoint.shared();
      System.setProperty(StepperCachingProvider.URI_PROPERTY, redis.uri().toString());
      System.out.println("Redis: " + redis.describe());
    }
    try (CacheManager manager = Caching.getCachingProvider().getCacheManager()) {
      var config = new MutableConfiguration<String, String>()
          .setTypes(String.class, String.class)
          .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
          .setStatisticsEnabled(true);
      Cache<String, String> diary = manager.createCache("quickstart", config);

      diary.put("stepper:report:user123:shaabc", "Fixed the flaky build; wrote the README.");
      System.out.println("get           -> " + diary.get("stepper:report:user123:shaabc"));
      System.out.println("putIfAbsent   -> " + diary.putIfAbsent("stepper:report:user123:shaabc", "x"));
      System.out.println("invoke        -> " + diary.invoke("stepper:report:user123:shaabc",
          (entry, arguments) -> entry.getValue().length()));
      manager.destroyCache("quickstart");
    }
  }
}

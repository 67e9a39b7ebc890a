package dev.stepper.cache.spring;

import dev.stepper.cache.redis.RedisUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheErrorHandler;

/**
 * A Spring {@code CacheErrorHandler} that keeps an application answering while Redis is down: a
 * cached method whose cache cannot be reached runs as if it were not cached, and a put or evict
 * that cannot be made is skipped. Only outages ({@link RedisUnavailableException}) are handled;
 * every other failure (a key of the wrong type, a value the allow-list refuses) is thrown as
 * before, since hiding a mistake would run the method forever without caching it.
 *
 * <pre>{@code
 * @Configuration
 * class CacheSettings implements CachingConfigurer {
 *   @Override
 *   public CacheErrorHandler errorHandler() {
 *     return new FallBackToMethod();
 *   }
 * }
 * }</pre>
 *
 * <p>An outage is logged at WARN at most every ten seconds, and each skipped call at DEBUG.
 * While Redis is away, evictions are lost: an entry evicted then may be served again once Redis
 * is back, until it expires; give such caches an expiry.
 */
public final class FallBackToMethod implements CacheErrorHandler {

  private static final Logger LOG = LoggerFactory.getLogger(FallBackToMethod.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /** Made by the application, as its {@code CachingConfigurer}'s error handler. */
  public FallBackToMethod() {}

  @Override
  public void handleCacheGetError(RuntimeException exception, Cache cache, Object key) {
    skip(exception, cache, "read; the method runs");
  }

  @Override
  public void handleCachePutError(RuntimeException exception, Cache cache, Object key,
      Object value) {
    skip(exception, cache, "not stored");
  }

  @Override
  public void handleCacheEvictError(RuntimeException exception, Cache cache, Object key) {
    skip(exception, cache, "not evicted");
  }

  @Override
  public void handleCacheClearError(RuntimeException exception, Cache cache) {
    skip(exception, cache, "not cleared");
  }

  private void skip(RuntimeException exception, Cache cache, String outcome) {
    if (!isOutage(exception)) {
      throw exception;
    }
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warn("Cache {} unavailable, calls go to the methods until Redis is back: {}",
          cache.getName(), exception.getMessage());
    } else {
      LOG.debug("Cache {} unavailable ({}): {}", cache.getName(), outcome,
          exception.getMessage());
    }
  }

  private static boolean isOutage(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RedisUnavailableException) {
        return true;
      }
    }
    return false;
  }
}

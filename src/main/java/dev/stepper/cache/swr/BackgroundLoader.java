package dev.stepper.cache.swr;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/**
 * A loader whose values take long to make: on a miss the cache stores the loader's placeholder and
 * returns it at once, and the value is generated on the cache's job executor.
 *
 * <p>Used with a {@link StaleWhileRevalidate} expiry policy and read-through. Among all the JVMs
 * sharing the cache, one caller stores the placeholder (a compare-and-set on the entry) and runs
 * the job; the others get that placeholder. The job's value replaces the placeholder only if the
 * entry still holds it. If the job fails, {@link #failed} makes the value that records it, which
 * is served until its retry time; the first read after that starts a new job.
 *
 * <p>The loader is called from several threads at once and must be thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type, able to stand for a placeholder and a failure too
 */
public interface BackgroundLoader<K, V> extends CacheLoader<K, V> {

  /**
   * Makes the placeholder that stands for a value being generated. Called on the caller's thread;
   * it must be quick.
   *
   * @param key the entry's key
   * @param job the job about to run
   * @return the placeholder, whose {@link #stateOf} is pending until {@link Job#leaseUntil()}. It
   *     must carry {@link Job#id()}: a job's results replace the entry only while it holds
   *     exactly that job's placeholder, so placeholders of two jobs must never be equal.
   */
  V placeholder(K key, Job<V> job);

  /**
   * Generates the value. Runs on the cache's job executor.
   *
   * @param key the entry's key
   * @param job the job, through which progress can be shown
   * @return the value, never {@code null}
   * @throws Exception if the value cannot be made; the cache then stores {@link #failed}
   */
  V generate(K key, Job<V> job) throws Exception;

  /**
   * Makes the value that records a failed generation.
   *
   * @param key the entry's key
   * @param job the job that failed; its {@link Job#attempt()} counts the failures in a row
   * @param error why it failed
   * @param retryAt when a new generation may start
   * @return the failure record, whose {@link #stateOf} is failed until {@code retryAt}
   */
  V failed(K key, Job<V> job, Exception error, Instant retryAt);

  /**
   * @param value a stored value
   * @return whether it is a real value, a placeholder or a failure record
   */
  EntryState stateOf(V value);

  /**
   * Generates a value on the caller's thread, for {@code Cache.loadAll}; reads never call this.
   *
   * @throws CacheLoaderException if generation fails
   */
  @Override
  default V load(K key) {
    try {
      return generate(key, Jobs.detached());
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Generating the value of " + key + " failed: " + e, e);
    }
  }

  @Override
  default Map<K, V> loadAll(Iterable<? extends K> keys) {
    Map<K, V> values = new LinkedHashMap<>();
    for (K key : keys) {
      values.put(key, load(key));
    }
    return values;
  }
}

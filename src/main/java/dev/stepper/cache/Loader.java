package dev.stepper.cache;

import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/**
 * A cache's loader, with failures reported as {@link CacheLoaderException}. The disabled loader
 * finds nothing: what a cache without read-through loads on a miss.
 */
final class Loader<K, V> {

  private static final Loader<?, ?> DISABLED = new Loader<>(null);

  private final CacheLoader<K, V> loader;

  private Loader(CacheLoader<K, V> loader) {
    this.loader = loader;
  }

  @SuppressWarnings("unchecked")
  static <K, V> Loader<K, V> of(CacheLoader<K, V> loader) {
    return loader == null ? (Loader<K, V>) DISABLED : new Loader<>(loader);
  }

  boolean isEnabled() {
    return loader != null;
  }

  /** @return the configured loader, or {@code null} for the disabled one */
  CacheLoader<K, V> target() {
    return loader;
  }

  V load(K key) {
    if (loader == null) {
      return null;
    }
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The cache loader failed on " + key + ": " + e, e);
    }
  }

  Map<K, V> loadAll(Iterable<? extends K> keys) {
    if (loader == null) {
      return Map.of();
    }
    try {
      return loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The cache loader failed: " + e, e);
    }
  }
}

package dev.stepper.cache;

import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/** A cache's loader, with failures reported as {@link CacheLoaderException}. */
final class Loader<K, V> {

  private final CacheLoader<K, V> loader;

  Loader(CacheLoader<K, V> loader) {
    this.loader = loader;
  }

  CacheLoader<K, V> target() {
    return loader;
  }

  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The cache loader failed on " + key + ": " + e, e);
    }
  }

  Map<K, V> loadAll(Iterable<? extends K> keys) {
    try {
      return loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("The cache loader failed: " + e, e);
    }
  }
}

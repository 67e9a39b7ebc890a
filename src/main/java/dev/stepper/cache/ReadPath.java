package dev.stepper.cache;

import java.util.List;
import java.util.Map;

/**
 * How a cache answers {@code get}, {@code getAll} and {@code containsKey}: as JCache reads
 * ({@link Reads}), or by the stale-while-revalidate flow ({@link Revalidation}). {@link
 * CacheFactory} chooses it once per cache, so the cache never asks which kind it is.
 */
interface ReadPath<K, V> {

  V get(K key);

  /** @return the entries found (or loaded), in the order of {@code keys}; absent keys left out */
  Map<K, V> getAll(List<K> keys);

  boolean containsKey(K key);

  /** Starts what the path runs beside the reads (workers, MXBeans); plain reads run nothing. */
  default void open() {}

  /** Stops what {@link #open} started, within the manager's timeout. */
  default void close() {}
}

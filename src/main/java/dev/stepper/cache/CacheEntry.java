package dev.stepper.cache;

import javax.cache.Cache;

/** A key and its value, as iterators hand them out and writers receive them. */
final class CacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  CacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrap.as(clazz, this);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}

package dev.stepper.cache.event;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * One change of one entry. For removed and expired entries the value is the last value, as the
 * TCK reads the specification; it is {@code null} when that value was not fetched.
 */
final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final K key;
  private final V value;
  private final V oldValue;

  EntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
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
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValue != null;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("A cache entry event cannot be unwrapped to " + clazz);
  }

  @Override
  public String toString() {
    return "EntryEvent{" + getEventType() + " " + key + "}";
  }
}

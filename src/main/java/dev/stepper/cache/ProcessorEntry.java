package dev.stepper.cache;

import java.util.Objects;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@code EntryProcessor} works on: a snapshot read from Redis, changed only in Java.
 * What the processor did to it decides, afterwards, the one write the cache commits.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

  /** What the processor did, in the specification's terms. */
  enum Outcome {
    /** Nothing that changes or touches the entry. */
    NONE,
    /** Read the existing value. */
    ACCESSED,
    /** Read a value the loader supplied. */
    LOADED,
    /** Set a value where there was none. */
    CREATED,
    /** Set a value where there was one. */
    UPDATED,
    /** Removed the entry (or tried to, where there was none). */
    REMOVED
  }

  private final K key;
  private final V original;
  private final Loader<K, V> readThrough;
  private V value;
  private Outcome outcome = Outcome.NONE;

  /**
   * @param original the value in Redis, or {@code null}
   * @param readThrough the loader to call if the processor reads an absent value (the disabled
   *     one loads nothing)
   */
  ProcessorEntry(K key, V original, Loader<K, V> readThrough) {
    this.key = key;
    this.original = original;
    this.readThrough = readThrough;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (outcome == Outcome.NONE) {
      if (original != null) {
        value = original;
        outcome = Outcome.ACCESSED;
      } else {
        value = readThrough.load(key);
        if (value != null) {
          outcome = Outcome.LOADED;
        }
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return outcome == Outcome.NONE ? original != null : value != null;
  }

  @Override
  public void remove() {
    // Removing what this processor created or loaded leaves the entry as it was: absent.
    outcome = outcome == Outcome.CREATED || outcome == Outcome.LOADED
        ? Outcome.NONE : Outcome.REMOVED;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "An entry processor cannot set a null value; use remove()");
    outcome = original != null ? Outcome.UPDATED : Outcome.CREATED;
    value = newValue;
  }

  Outcome outcome() {
    return outcome;
  }

  V value() {
    return value;
  }

  V original() {
    return original;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrap.as(clazz, this);
  }
}

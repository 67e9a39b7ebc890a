package dev.stepper.cache;

import java.util.Collection;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's write-through, called before Redis is changed so that a failing writer leaves the
 * cache as it was. The disabled writer does nothing.
 */
final class Writer<K, V> {

  private static final Writer<?, ?> DISABLED = new Writer<>(null);

  private final CacheWriter<K, V> writer;

  private Writer(CacheWriter<K, V> writer) {
    this.writer = writer;
  }

  @SuppressWarnings("unchecked")
  static <K, V> Writer<K, V> of(CacheWriter<? super K, ? super V> writer) {
    // A writer of supertypes accepts these keys and values.
    return writer == null ? (Writer<K, V>) DISABLED : new Writer<>((CacheWriter<K, V>) writer);
  }

  boolean isEnabled() {
    return writer != null;
  }

  CacheWriter<K, V> target() {
    return writer;
  }

  void write(K key, V value) {
    if (writer != null) {
      call(() -> writer.write(new CacheEntry<>(key, value)));
    }
  }

  /** The writer removes what it wrote from {@code entries}; what is left failed. */
  void writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    if (writer != null) {
      call(() -> writer.writeAll(entries));
    }
  }

  void delete(K key) {
    if (writer != null) {
      call(() -> writer.delete(key));
    }
  }

  /** The writer removes what it deleted from {@code keys}; what is left failed. */
  void deleteAll(Collection<K> keys) {
    if (writer != null) {
      call(() -> writer.deleteAll(keys));
    }
  }

  private static void call(Runnable call) {
    try {
      call.run();
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("The cache writer failed: " + e, e);
    }
  }
}

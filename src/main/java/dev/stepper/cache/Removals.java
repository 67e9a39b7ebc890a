package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.cache.integration.CacheWriterException;

/** The operations that remove entries. */
final class Removals<K, V> {

  /** Keys per SCAN call of {@code clear()}, {@code removeAll()} and iterators. */
  static final int SCAN_BATCH = 500;

  private final CacheCore<K, V> core;

  Removals(CacheCore<K, V> core) {
    this.core = core;
  }

  boolean remove(K key) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    core.writer.delete(key);
    Sent sent = core.protocol.apply(encodedKey,
        Write.delete().returningPrevious(core.events.oldValuesRequired()), null);
    announce(key, core.codec.decodeReplaced(encodedKey, sent.previous()), sent, start);
    return sent.removed();
  }

  boolean remove(K key, V oldValue) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    Sent sent = core.whenEqual(encodedKey, Write.delete(), core.codec.value(oldValue),
        oldValue, core.writer.isEnabled() ? (i, existed) -> {
          core.writer.delete(key);
          return Ttl.KEEP;
        } : null);
    core.statistics.recordRead(sent.existed());
    announce(key, oldValue, sent, start);
    core.accessedAfterMismatch(key, encodedKey, sent);
    return sent.removed();
  }

  V getAndRemove(K key) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    core.writer.delete(key);
    Sent sent = core.protocol.apply(encodedKey, Write.delete().returningPrevious(true), null);
    core.statistics.recordRead(sent.existed());
    V previous = core.codec.decodeReplaced(encodedKey, sent.previous());
    announce(key, previous, sent, start);
    return core.returnedPrevious("getAndRemove", encodedKey, sent.previous(), previous);
  }

  /** Removes an entry an iterator returned, unless another client changed it since. */
  void removeReturned(K key, V value, byte[] bytes) {
    long start = System.nanoTime();
    core.writer.delete(key);
    Sent sent = core.protocol.apply(core.codec.key(key),
        Write.delete().when(Condition.holding(bytes)), null);
    announce(key, value, sent, start);
  }

  private void announce(K key, V removedValue, Sent sent, long start) {
    if (sent.removed()) {
      core.statistics.recordRemovals(1, start);
      EventBatch<K, V> batch = core.events.batch();
      batch.removed(key, removedValue);
      batch.fire();
    }
  }

  /**
   * Removes the keys the writer deleted, in one pipeline; on a writer failure the keys it did not
   * delete stay, and the failure is thrown once the others are removed.
   */
  void removeAll(List<K> keys) {
    long start = System.nanoTime();
    List<K> toRemove = keys;
    CacheWriterException failure = null;
    if (core.writer.isEnabled()) {
      Set<K> undeleted = new HashSet<>(keys);
      try {
        core.writer.deleteAll(undeleted);
      } catch (CacheWriterException e) {
        failure = e;
        toRemove = keys.stream().filter(key -> !undeleted.contains(key)).toList();
      }
    }
    List<byte[]> encodedKeys = core.encodeKeys(toRemove);
    Write delete = Write.delete().returningPrevious(core.events.oldValuesRequired());
    List<Sent> results = core.protocol.applyAll(encodedKeys,
        Collections.nCopies(toRemove.size(), delete), null);
    EventBatch<K, V> batch = core.events.batch();
    int removed = 0;
    for (int i = 0; i < toRemove.size(); i++) {
      if (results.get(i).removed()) {
        removed++;
        batch.removed(toRemove.get(i), core.codec.decodeReplaced(encodedKeys.get(i),
            results.get(i).previous()));
      }
    }
    core.statistics.recordRemovals(removed, start);
    batch.fire();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Removes every entry, a SCAN batch at a time, through the writer. A batch the writer fails on
   * does not stop the others; the first failure is thrown at the end, the rest suppressed in it.
   */
  void removeAll() {
    CacheWriterException failure = null;
    Iterator<List<byte[]>> batches = core.store.scan(SCAN_BATCH);
    while (batches.hasNext()) {
      try {
        removeAll(core.codec.decodeKeys(batches.next()).keys());
      } catch (CacheWriterException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      } catch (RuntimeException e) {
        // Redis failed: stop, without losing what the writer reported before
        if (failure != null) {
          e.addSuppressed(failure);
        }
        throw e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Removes every entry without writer, events or statistics, a SCAN batch at a time. */
  static void clear(EntryStore store) {
    Iterator<List<byte[]>> batches = store.scan(SCAN_BATCH);
    while (batches.hasNext()) {
      store.deleteAll(batches.next());
    }
  }
}

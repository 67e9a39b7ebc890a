package dev.stepper.cache;

import dev.stepper.cache.EntryCodec.DecodedKeys;
import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.cache.integration.CacheWriterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operations that remove entries. */
final class Removals<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(Removals.class);
  /** Keys per SCAN call of {@code clear()}, {@code removeAll()} and iterators. */
  static final int SCAN_BATCH = 500;

  private final String name;
  private final EntryStore store;
  private final EntryCodec<K, V> codec;
  private final WriteProtocol protocol;
  private final Writer<K, V> writer;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  private final CacheSteps<K, V> steps;

  Removals(Collaborators<K, V> parts) {
    this.name = parts.name();
    this.store = parts.store();
    this.codec = parts.codec();
    this.protocol = parts.protocol();
    this.writer = parts.writer();
    this.statistics = parts.statistics();
    this.events = parts.events();
    this.steps = parts.steps();
  }

  boolean remove(K key) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    writer.delete(key);
    Sent sent = protocol.apply(encodedKey,
        Write.delete().returningPrevious(events.oldValuesRequired()), null);
    announce(key, codec.decodeReplaced(encodedKey, sent.previous()), sent, start);
    return sent.removed();
  }

  boolean remove(K key, V oldValue) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    Sent sent = steps.whenEqual(encodedKey, Write.delete(), codec.value(oldValue),
        oldValue, writer.isEnabled() ? (i, existed) -> {
          writer.delete(key);
          return Ttl.KEEP;
        } : null);
    statistics.recordRead(sent.existed());
    announce(key, oldValue, sent, start);
    steps.accessedAfterMismatch(key, encodedKey, sent);
    return sent.removed();
  }

  V getAndRemove(K key) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    writer.delete(key);
    Sent sent = protocol.apply(encodedKey, Write.delete().returningPrevious(true), null);
    statistics.recordRead(sent.existed());
    V previous = codec.decodeReplaced(encodedKey, sent.previous());
    announce(key, previous, sent, start);
    return steps.returnedPrevious("getAndRemove", encodedKey, sent.previous(), previous);
  }

  /** Removes an entry an iterator returned, unless another client changed it since. */
  void removeReturned(K key, V value, byte[] bytes) {
    long start = System.nanoTime();
    writer.delete(key);
    Sent sent = protocol.apply(codec.key(key),
        Write.delete().when(Condition.holding(bytes)), null);
    announce(key, value, sent, start);
  }

  private void announce(K key, V removedValue, Sent sent, long start) {
    if (sent.removed()) {
      statistics.recordRemovals(1, start);
      EventBatch<K, V> batch = events.batch();
      batch.removed(key, removedValue);
      batch.fire();
    }
  }

  /**
   * Removes the keys the writer deleted, in one pipeline; on a writer failure the keys it did not
   * delete stay, and the failure is thrown once the others are removed.
   */
  void removeAll(List<K> keys) {
    removeAll(keys, steps.encodeKeys(keys));
  }

  private void removeAll(List<K> keys, List<byte[]> encodedKeys) {
    long start = System.nanoTime();
    List<K> toRemove = keys;
    List<byte[]> encodedToRemove = encodedKeys;
    CacheWriterException failure = null;
    if (writer.isEnabled()) {
      Set<K> undeleted = new HashSet<>(keys);
      try {
        writer.deleteAll(undeleted);
      } catch (CacheWriterException e) {
        failure = e;
        toRemove = new ArrayList<>();
        encodedToRemove = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          if (!undeleted.contains(keys.get(i))) {
            toRemove.add(keys.get(i));
            encodedToRemove.add(encodedKeys.get(i));
          }
        }
      }
    }
    Write delete = Write.delete().returningPrevious(events.oldValuesRequired());
    List<Sent> results = protocol.applyAll(encodedToRemove,
        Collections.nCopies(toRemove.size(), delete), null);
    EventBatch<K, V> batch = events.batch();
    int removed = 0;
    for (int i = 0; i < toRemove.size(); i++) {
      if (results.get(i).removed()) {
        removed++;
        batch.removed(toRemove.get(i), codec.decodeReplaced(encodedToRemove.get(i),
            results.get(i).previous()));
      }
    }
    statistics.recordRemovals(removed, start);
    batch.fire();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Removes every entry, a SCAN batch at a time, through the writer. A batch the writer fails on
   * does not stop the others; the first failure is thrown at the end, the rest suppressed in it.
   * Keys are decoded only for the writer and listeners; an entry whose key this cache's codec
   * cannot read is removed all the same (a cache's {@code removeAll()} empties it), and reported,
   * since neither could be told of it.
   */
  void removeAll() {
    CacheWriterException failure = null;
    Iterator<List<byte[]>> batches = store.scan(SCAN_BATCH);
    while (batches.hasNext()) {
      try {
        List<byte[]> batch = batches.next();
        if (!writer.isEnabled() && !events.hasListeners()) {
          removeUnannounced(batch);
          continue;
        }
        DecodedKeys<K> decoded = codec.decodeKeys(batch);
        if (!decoded.unreadable().isEmpty()) {
          int removed = removeUnannounced(decoded.unreadable());
          LOG.warn("Cache {}: removed {} entries whose keys this cache cannot read ({}), without"
              + " telling the cache writer or listeners of them", name, removed,
              decoded.problem());
        }
        removeAll(decoded.keys(), decoded.encodedKeys());
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

  /**
   * Removes entries by their encoded keys, counting them as removals, with neither writer nor
   * events.
   *
   * @return how many existed
   */
  private int removeUnannounced(List<byte[]> encodedKeys) {
    long start = System.nanoTime();
    List<Sent> results = protocol.applyAll(encodedKeys,
        Collections.nCopies(encodedKeys.size(), Write.delete()), null);
    int removed = (int) results.stream().filter(Sent::removed).count();
    statistics.recordRemovals(removed, start);
    return removed;
  }

  /** Removes every entry without writer, events or statistics, a SCAN batch at a time. */
  static void clear(EntryStore store) {
    Iterator<List<byte[]>> batches = store.scan(SCAN_BATCH);
    while (batches.hasNext()) {
      store.deleteAll(batches.next());
    }
  }
}

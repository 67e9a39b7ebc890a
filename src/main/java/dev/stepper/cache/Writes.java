package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.integration.CacheWriterException;

/** The operations that store values: puts and replacements. */
final class Writes<K, V> {

  private final CacheCore<K, V> core;

  Writes(CacheCore<K, V> core) {
    this.core = core;
  }

  /** {@code put}, or {@code getAndPut} when {@code returnPrevious}. */
  V put(K key, V value, boolean returnPrevious) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    Write write = core.set(value)
        .returningPrevious(returnPrevious || core.events.oldValuesRequired())
        .blind(!returnPrevious && !core.events.hasListeners());
    core.writer.write(key, value);
    Sent sent = core.protocol.apply(encodedKey, write, core.expiry.decision());
    V previous = core.codec.decodeReplaced(encodedKey, sent.previous());
    EventBatch<K, V> batch = core.events.batch();
    boolean stored = core.announceSet(key, value, previous, sent, batch);
    if (returnPrevious) {
      core.statistics.recordRead(sent.existed());
    }
    core.statistics.recordPuts(stored ? 1 : 0, start);
    batch.fire();
    return returnPrevious
        ? core.returnedPrevious("getAndPut", encodedKey, sent.previous(), previous) : null;
  }

  /**
   * Stores every entry the writer accepted, in one pipeline; a writer failure is thrown after the
   * accepted entries are stored.
   */
  void putAll(Map<? extends K, ? extends V> map, List<K> keys) {
    long start = System.nanoTime();
    List<byte[]> encodedKeys = core.encodeKeys(keys);
    var writes = new ArrayList<Write>(keys.size());
    boolean blind = !core.events.hasListeners();
    for (K key : keys) {
      writes.add(core.set(map.get(key))
          .returningPrevious(core.events.oldValuesRequired()).blind(blind));
    }
    CacheWriterException failure = null;
    if (core.writer.isEnabled()) {
      var unwritten = new ArrayList<Cache.Entry<? extends K, ? extends V>>(keys.size());
      for (K key : keys) {
        unwritten.add(new CacheEntry<>(key, map.get(key)));
      }
      try {
        core.writer.writeAll(unwritten);
      } catch (CacheWriterException e) {
        failure = e;
        // What the writer did not take stays out of the cache too.
        Set<Object> failed = new HashSet<>();
        unwritten.forEach(entry -> failed.add(entry.getKey()));
        for (int i = keys.size() - 1; i >= 0; i--) {
          if (failed.contains(keys.get(i))) {
            keys.remove(i);
            encodedKeys.remove(i);
            writes.remove(i);
          }
        }
      }
    }
    List<Sent> results = core.protocol.applyAll(encodedKeys, writes, core.expiry.decision());
    EventBatch<K, V> batch = core.events.batch();
    int stored = 0;
    for (int i = 0; i < keys.size(); i++) {
      V previous = core.codec.decodeReplaced(encodedKeys.get(i), results.get(i).previous());
      if (core.announceSet(keys.get(i), map.get(keys.get(i)), previous, results.get(i), batch)) {
        stored++;
      }
    }
    core.statistics.recordPuts(stored, start);
    batch.fire();
    if (failure != null) {
      throw failure;
    }
  }

  boolean putIfAbsent(K key, V value) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    Write write = core.set(value).when(Condition.ABSENT);
    Sent sent = core.protocol.apply(encodedKey, write, writeThrough(key, value));
    announceConditional(key, value, null, sent, start);
    return sent.created();
  }

  boolean replace(K key, V oldValue, V newValue) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    Sent sent = core.whenEqual(encodedKey, core.set(newValue),
        core.codec.value(oldValue), oldValue, writeThrough(key, newValue));
    announceConditional(key, newValue, oldValue, sent, start);
    core.accessedAfterMismatch(key, encodedKey, sent);
    return sent.applied();
  }

  /** {@code replace(k, v)}, or {@code getAndReplace} when {@code returnPrevious}. */
  Replaced<V> replace(K key, V value, boolean returnPrevious) {
    long start = System.nanoTime();
    byte[] encodedKey = core.codec.key(key);
    Write write = core.set(value).when(Condition.PRESENT)
        .returningPrevious(returnPrevious || core.events.oldValuesRequired());
    Sent sent = core.protocol.apply(encodedKey, write, writeThrough(key, value));
    V previous = core.codec.decodeReplaced(encodedKey, sent.previous());
    announceConditional(key, value, previous, sent, start);
    return new Replaced<>(sent.applied(), returnPrevious
        ? core.returnedPrevious("getAndReplace", encodedKey, sent.previous(), previous) : null);
  }

  /** Whether a replacement happened, and the value it replaced if that was asked for. */
  record Replaced<V>(boolean applied, V previous) {}

  /**
   * What a conditional write decides once a probe shows its condition holds: the writer call, then
   * the time-to-live of what the probe found. {@code null} when there is nothing to decide.
   */
  private WriteProtocol.Decision writeThrough(K key, V value) {
    return core.expiry.isConstant() && !core.writer.isEnabled() ? null : (i, existed) -> {
      core.writer.write(key, value);
      Ttl own = core.ownTtl(value);
      return own != null ? own : existed ? core.expiry.update() : core.expiry.creation();
    };
  }

  /** Counts a conditional write (a hit if the entry existed, a put if it stored) and announces it. */
  private void announceConditional(K key, V value, V previous, Sent sent, long start) {
    core.statistics.recordRead(sent.existed());
    EventBatch<K, V> batch = core.events.batch();
    core.statistics.recordPuts(core.announceSet(key, value, previous, sent, batch) ? 1 : 0, start);
    batch.fire();
  }
}

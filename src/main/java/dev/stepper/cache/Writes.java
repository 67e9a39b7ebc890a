package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
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

  private final EntryCodec<K, V> codec;
  private final CacheExpiry expiry;
  private final WriteProtocol protocol;
  private final Writer<K, V> writer;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  private final CacheSteps<K, V> steps;

  Writes(Collaborators<K, V> parts) {
    this.codec = parts.codec();
    this.expiry = parts.expiry();
    this.protocol = parts.protocol();
    this.writer = parts.writer();
    this.statistics = parts.statistics();
    this.events = parts.events();
    this.steps = parts.steps();
  }

  /** {@code put}, or {@code getAndPut} when {@code returnPrevious}. */
  V put(K key, V value, boolean returnPrevious) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    Write write = steps.set(value)
        .returningPrevious(returnPrevious || events.oldValuesRequired())
        .blind(!returnPrevious && !events.hasListeners());
    writer.write(key, value);
    Sent sent = protocol.apply(encodedKey, write, expiry.decision());
    V previous = codec.decodeReplaced(encodedKey, sent.previous());
    EventBatch<K, V> batch = events.batch();
    boolean stored = steps.announceSet(key, value, previous, sent, batch);
    if (returnPrevious) {
      statistics.recordRead(sent.existed());
    }
    statistics.recordPuts(stored ? 1 : 0, start);
    batch.fire();
    return returnPrevious
        ? steps.returnedPrevious("getAndPut", encodedKey, sent.previous(), previous) : null;
  }

  /**
   * Stores every entry the writer accepted, in one pipeline; a writer failure is thrown after the
   * accepted entries are stored.
   */
  void putAll(Map<? extends K, ? extends V> map, List<K> keys) {
    long start = System.nanoTime();
    List<byte[]> encodedKeys = steps.encodeKeys(keys);
    var writes = new ArrayList<Write>(keys.size());
    boolean blind = !events.hasListeners();
    for (K key : keys) {
      writes.add(steps.set(map.get(key))
          .returningPrevious(events.oldValuesRequired()).blind(blind));
    }
    CacheWriterException failure = null;
    if (writer.isEnabled()) {
      var unwritten = new ArrayList<Cache.Entry<? extends K, ? extends V>>(keys.size());
      for (K key : keys) {
        unwritten.add(new CacheEntry<>(key, map.get(key)));
      }
      try {
        writer.writeAll(unwritten);
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
    List<Sent> results = protocol.applyAll(encodedKeys, writes, expiry.decision());
    EventBatch<K, V> batch = events.batch();
    int stored = 0;
    for (int i = 0; i < keys.size(); i++) {
      V previous = codec.decodeReplaced(encodedKeys.get(i), results.get(i).previous());
      if (steps.announceSet(keys.get(i), map.get(keys.get(i)), previous, results.get(i), batch)) {
        stored++;
      }
    }
    statistics.recordPuts(stored, start);
    batch.fire();
    if (failure != null) {
      throw failure;
    }
  }

  boolean putIfAbsent(K key, V value) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    Write write = steps.set(value).when(Condition.ABSENT);
    Sent sent = protocol.apply(encodedKey, write, writeThrough(key, value));
    announceConditional(key, value, null, sent, start);
    return sent.created();
  }

  boolean replace(K key, V oldValue, V newValue) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    Sent sent = steps.whenEqual(encodedKey, steps.set(newValue),
        codec.value(oldValue), oldValue, writeThrough(key, newValue));
    announceConditional(key, newValue, oldValue, sent, start);
    steps.accessedAfterMismatch(key, encodedKey, sent);
    return sent.applied();
  }

  /** {@code replace(k, v)}, or {@code getAndReplace} when {@code returnPrevious}. */
  Replaced<V> replace(K key, V value, boolean returnPrevious) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    Write write = steps.set(value).when(Condition.PRESENT)
        .returningPrevious(returnPrevious || events.oldValuesRequired());
    Sent sent = protocol.apply(encodedKey, write, writeThrough(key, value));
    V previous = codec.decodeReplaced(encodedKey, sent.previous());
    announceConditional(key, value, previous, sent, start);
    return new Replaced<>(sent.applied(), returnPrevious
        ? steps.returnedPrevious("getAndReplace", encodedKey, sent.previous(), previous) : null);
  }

  /** Whether a replacement happened, and the value it replaced if that was asked for. */
  record Replaced<V>(boolean applied, V previous) {}

  /**
   * What a conditional write decides once a probe shows its condition holds: the writer call, then
   * the time-to-live of what the probe found. {@code null} when there is nothing to decide.
   */
  private WriteProtocol.Decision writeThrough(K key, V value) {
    return expiry.isConstant() && !writer.isEnabled() ? null : (i, existed) -> {
      writer.write(key, value);
      Ttl own = steps.ownTtl(value);
      return own != null ? own : existed ? expiry.update() : expiry.creation();
    };
  }

  /** Counts a conditional write (a hit if the entry existed, a put if it stored) and announces it. */
  private void announceConditional(K key, V value, V previous, Sent sent, long start) {
    statistics.recordRead(sent.existed());
    EventBatch<K, V> batch = events.batch();
    statistics.recordPuts(steps.announceSet(key, value, previous, sent, batch) ? 1 : 0, start);
    batch.fire();
  }
}

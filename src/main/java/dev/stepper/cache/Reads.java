package dev.stepper.cache;

import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import dev.stepper.cache.redis.WriteResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code get}, {@code getAll} and {@code containsKey}, with access expiry and read-through. */
final class Reads<K, V> implements ReadPath<K, V> {

  private final EntryStore store;
  private final EntryCodec<K, V> codec;
  private final CacheExpiry expiry;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  private final CacheSteps<K, V> steps;
  private final Loads<K, V> loads;

  Reads(Collaborators<K, V> parts, Loads<K, V> loads) {
    this.store = parts.store();
    this.codec = parts.codec();
    this.expiry = parts.expiry();
    this.statistics = parts.statistics();
    this.events = parts.events();
    this.steps = parts.steps();
    this.loads = loads;
  }

  @Override
  public V get(K key) {
    long start = System.nanoTime();
    V value = lookup(List.of(key)).get(key);
    statistics.recordGetTime(start);
    return value;
  }

  @Override
  public Map<K, V> getAll(List<K> keys) {
    long start = System.nanoTime();
    Map<K, V> result = lookup(keys);
    statistics.recordGetTime(start);
    return result;
  }

  private Map<K, V> lookup(List<K> keys) {
    List<byte[]> encodedKeys = steps.encodeKeys(keys);
    EventBatch<K, V> batch = events.batch();
    List<byte[]> found = read(keys, encodedKeys, batch);
    Map<K, V> result = new LinkedHashMap<>(keys.size() * 4 / 3 + 1);
    List<K> missing = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      V value = codec.decodeValue(encodedKeys.get(i), found.get(i));
      if (value != null) {
        result.put(keys.get(i), value);
      } else {
        missing.add(keys.get(i));
      }
    }
    statistics.recordHits(result.size());
    statistics.recordMisses(missing.size());
    if (!missing.isEmpty()) {
      result.putAll(loads.readThrough(missing, batch));
    }
    batch.fire();
    return result;
  }

  /**
   * Reads entries and applies the expiry policy's verdict on access: a fixed verdict in the same
   * round trip (a touch that returns the value), a policy's answers by touches of the entries
   * found, in one more pipeline.
   */
  private List<byte[]> read(List<K> keys, List<byte[]> encodedKeys, EventBatch<K, V> batch) {
    if (!expiry.isConstant()) {
      List<byte[]> found = store.getAll(encodedKeys);
      steps.accessed(keys, encodedKeys, found, batch);
      return found;
    }
    Ttl access = expiry.access();
    if (access == Ttl.KEEP) {
      return store.getAll(encodedKeys);
    }
    Write touch = Write.touch(access).returningPrevious(true);
    List<WriteResult> results = store.writeAll(encodedKeys,
        Collections.nCopies(keys.size(), touch));
    var found = new ArrayList<byte[]>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] bytes = results.get(i).previous();
      found.add(bytes);
      if (bytes != null && access == Ttl.ZERO) {
        batch.expired(keys.get(i), codec.decodeReplaced(encodedKeys.get(i), bytes));
      }
    }
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    return steps.contains(key);
  }
}

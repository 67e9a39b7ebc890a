package dev.stepper.cache;

import dev.stepper.cache.event.EventBatch;
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

  private final CacheCore<K, V> core;
  private final Loads<K, V> loads;

  Reads(CacheCore<K, V> core, Loads<K, V> loads) {
    this.core = core;
    this.loads = loads;
  }

  @Override
  public V get(K key) {
    long start = System.nanoTime();
    V value = lookup(List.of(key)).get(key);
    core.statistics.recordGetTime(start);
    return value;
  }

  @Override
  public Map<K, V> getAll(List<K> keys) {
    long start = System.nanoTime();
    Map<K, V> result = lookup(keys);
    core.statistics.recordGetTime(start);
    return result;
  }

  private Map<K, V> lookup(List<K> keys) {
    List<byte[]> encodedKeys = core.encodeKeys(keys);
    EventBatch<K, V> batch = core.events.batch();
    List<byte[]> found = read(keys, encodedKeys, batch);
    Map<K, V> result = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      V value = core.codec.decodeValue(encodedKeys.get(i), found.get(i));
      if (value != null) {
        result.put(keys.get(i), value);
      } else {
        missing.add(keys.get(i));
      }
    }
    core.statistics.recordHits(result.size());
    core.statistics.recordMisses(missing.size());
    if (core.readThrough != null && !missing.isEmpty()) {
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
    if (!core.expiry.isConstant()) {
      List<byte[]> found = core.store.getAll(encodedKeys);
      core.accessed(keys, encodedKeys, found, batch);
      return found;
    }
    Ttl access = core.expiry.access();
    if (access == Ttl.KEEP) {
      return core.store.getAll(encodedKeys);
    }
    Write touch = Write.touch(access).returningPrevious(true);
    List<WriteResult> results = core.store.writeAll(encodedKeys,
        Collections.nCopies(keys.size(), touch));
    var found = new ArrayList<byte[]>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] bytes = results.get(i).previous();
      found.add(bytes);
      if (bytes != null && access == Ttl.ZERO) {
        batch.expired(keys.get(i), core.codec.decodeReplaced(encodedKeys.get(i), bytes));
      }
    }
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    return core.contains(key);
  }
}

package dev.stepper.cache;

import dev.stepper.cache.EntryCodec.DecodedKeys;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.redis.EntryStore;
import java.util.Arrays;
import java.util.Iterator;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import javax.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a cache a SCAN batch at a time: memory stays bounded however many entries there are.
 * Entries changed while iterating may or may not be seen; each is seen at least once. Each entry
 * returned counts as a read: a hit, and an access for the expiry policy. An entry removed through
 * the iterator is never returned again, although SCAN may repeat its key in a batch fetched
 * before the removal (it repeats keys while Redis resizes its table).
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private static final Logger LOG = LoggerFactory.getLogger(CacheIterator.class);

  private final String name;
  private final EntryStore store;
  private final EntryCodec<K, V> codec;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  private final CacheSteps<K, V> steps;
  private final Removals<K, V> removals;
  private final Iterator<List<byte[]>> batches;
  private List<K> keys = List.of();
  private List<byte[]> encodedKeys = List.of();
  private List<byte[]> values = List.of();
  private int position;
  /** What {@code next()} returned last, kept apart from the batch it came from. */
  private K lastKey;
  private byte[] lastEncodedKey;
  private V lastValue;
  private byte[] lastBytes;

  CacheIterator(Collaborators<K, V> parts, Removals<K, V> removals) {
    this.name = parts.name();
    this.store = parts.store();
    this.codec = parts.codec();
    this.statistics = parts.statistics();
    this.events = parts.events();
    this.steps = parts.steps();
    this.removals = removals;
    this.batches = store.scan(Removals.SCAN_BATCH);
  }

  @Override
  public boolean hasNext() {
    while (true) {
      while (position < keys.size() && values.get(position) == null) {
        position++;
      }
      if (position < keys.size()) {
        return true;
      }
      if (!batches.hasNext()) {
        return false;
      }
      DecodedKeys<K> batch = codec.decodeKeys(batches.next());
      if (!batch.unreadable().isEmpty()) {
        LOG.warn("Cache {}: iteration skips {} entries whose keys this cache cannot read ({})",
            name, batch.unreadable().size(), batch.problem());
      }
      keys = batch.keys();
      encodedKeys = batch.encodedKeys();
      values = new ArrayList<>(store.getAll(encodedKeys));
      position = 0;
    }
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int current = position++;
    lastKey = keys.get(current);
    lastEncodedKey = encodedKeys.get(current);
    lastBytes = values.get(current);
    lastValue = codec.decodeValue(lastEncodedKey, lastBytes);
    statistics.recordHits(1);
    EventBatch<K, V> batch = events.batch();
    steps.accessed(List.of(lastKey), List.of(lastEncodedKey), List.of(lastBytes), batch);
    batch.fire();
    return new CacheEntry<>(lastKey, lastValue);
  }

  @Override
  public void remove() {
    if (lastBytes == null) {
      throw new IllegalStateException("remove() must follow next()");
    }
    removals.removeReturned(lastKey, lastValue, lastBytes);
    forgetPending(lastEncodedKey);
    lastKey = null;
    lastEncodedKey = null;
    lastValue = null;
    lastBytes = null;
  }

  /** Drops a repeat of a removed key from the batch a look-ahead fetched before the removal. */
  private void forgetPending(byte[] encodedKey) {
    for (int i = position; i < encodedKeys.size(); i++) {
      if (Arrays.equals(encodedKeys.get(i), encodedKey)) {
        values.set(i, null);
      }
    }
  }
}

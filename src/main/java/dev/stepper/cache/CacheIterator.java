package dev.stepper.cache;

import dev.stepper.cache.EntryCodec.DecodedKeys;
import dev.stepper.cache.event.EventBatch;
import java.util.Arrays;
import java.util.Iterator;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import javax.cache.Cache;

/**
 * Walks a cache a SCAN batch at a time: memory stays bounded however many entries there are.
 * Entries changed while iterating may or may not be seen; each is seen at least once. Each entry
 * returned counts as a read: a hit, and an access for the expiry policy. An entry removed through
 * the iterator is never returned again, although SCAN may repeat its key in a batch fetched
 * before the removal (it repeats keys while Redis resizes its table).
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final CacheCore<K, V> core;
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

  CacheIterator(CacheCore<K, V> core, Removals<K, V> removals) {
    this.core = core;
    this.removals = removals;
    this.batches = core.store.scan(Removals.SCAN_BATCH);
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
      DecodedKeys<K> batch = core.codec.decodeKeys(batches.next());
      keys = batch.keys();
      encodedKeys = batch.encodedKeys();
      values = new ArrayList<>(core.store.getAll(encodedKeys));
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
    lastValue = core.codec.decodeValue(lastEncodedKey, lastBytes);
    core.statistics.recordHits(1);
    EventBatch<K, V> batch = core.events.batch();
    core.accessed(List.of(lastKey), List.of(lastEncodedKey), List.of(lastBytes), batch);
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

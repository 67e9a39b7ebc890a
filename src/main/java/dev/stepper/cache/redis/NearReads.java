package dev.stepper.cache.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads served from this JVM's copies when it has them, from Redis otherwise, keeping what Redis
 * answered (with its time left: one round trip, as a plain read) unless it changed meanwhile.
 * This JVM's writes forget the copies before they are sent and again once they are done, so a
 * read that begins after a write returned never sees what the write replaced.
 */
final class NearReads implements EntryReads {

  private final RemoteReads remote;
  private final NearEntries entries;
  private final Runnable untrack;

  /** @param untrack stops the tracking of this cache's keys */
  NearReads(RemoteReads remote, NearEntries entries, Runnable untrack) {
    this.remote = remote;
    this.entries = entries;
    this.untrack = untrack;
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    var values = new ArrayList<byte[]>(keys.size());
    List<byte[]> missed = null;
    List<NearEntries.Fill> fills = null;
    for (byte[] key : keys) {
      TimedValue local = entries.get(key);
      values.add(local == null ? null : local.bytes());
      if (local == null) {
        // made on the first miss only: a read that hits everything is the one to keep cheap
        if (missed == null) {
          missed = new ArrayList<>();
          fills = new ArrayList<>();
        }
        missed.add(key);
        fills.add(entries.begin(key));
      }
    }
    if (missed == null) {
      return values;
    }
    List<TimedValue> found = remote.getAllWithTtl(missed);
    int next = 0;
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        TimedValue each = found.get(next);
        entries.complete(fills.get(next), each);
        values.set(i, each == null ? null : each.bytes());
        next++;
      }
    }
    return values;
  }

  @Override
  public TimedValue getWithTtl(byte[] key) {
    TimedValue local = entries.get(key);
    if (local != null) {
      return local;
    }
    NearEntries.Fill fill = entries.begin(key);
    TimedValue found = remote.getWithTtl(key);
    entries.complete(fill, found);
    return found;
  }

  @Override
  public void writing(List<byte[]> keys) {
    entries.invalidate(keys);
  }

  @Override
  public long[] nearCacheCounts() {
    return entries.counts();
  }

  @Override
  public void close() {
    untrack.run();
  }
}

package dev.stepper.cache.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stepper.cache.config.NearCache;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One cache's near cache: this JVM's copies of entries, as the bytes Redis holds, each with the
 * time Redis gives it. A copy is served only while Redis tracks the cache's keys for this JVM
 * and was heard to within the lease ({@link Tracking}); whatever Redis says changed is dropped,
 * and everything is dropped when tracking is lost.
 *
 * <p>A read that misses fills the copy in two steps with a pending marker in between: the marker
 * goes in before the read is sent, and the value replaces it only if the marker is still there
 * when the reply comes. An invalidation, a write of this JVM or a lost connection that arrives
 * meanwhile removes the marker (or moves the generation on), so a value overwritten in Redis while
 * it was being read is never kept. Thread-safe.
 */
final class NearEntries {

  private final Cache<Key, Slot> copies;
  private final ConcurrentMap<Key, Slot> slots;
  private final long maxTtlNanos;
  /** Moves on whenever every copy is dropped, so that fills begun before are not kept. */
  private final AtomicLong generation = new AtomicLong();
  /** Copies are served until then ({@link System#nanoTime()}): the tracking lease. */
  private volatile long liveUntil = System.nanoTime();

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder drops = new LongAdder();

  NearEntries(NearCache settings) {
    this.copies = Caffeine.newBuilder()
        .maximumSize(settings.maxEntries())
        // copies past their time are never served; this only frees their memory
        .expireAfterWrite(settings.maxTtl().toNanos(), TimeUnit.NANOSECONDS)
        .build();
    this.slots = copies.asMap();
    this.maxTtlNanos = settings.maxTtl().toNanos();
  }

  /** A copy's place: a fill in flight, or the copy. */
  private sealed interface Slot permits Pending, Held {}

  /**
   * A fill in flight, compared by identity: a later fill's marker must never pass for this one's.
   */
  private static final class Pending implements Slot {
    private final long generation;

    Pending(long generation) {
      this.generation = generation;
    }

    long generation() {
      return generation;
    }
  }

  /**
   * @param bytes the stored bytes
   * @param servedUntil when this copy stops being served ({@link System#nanoTime()})
   * @param expiresAt when Redis reclaims the entry, or {@code Long.MAX_VALUE} if never
   */
  private record Held(byte[] bytes, long servedUntil, long expiresAt) implements Slot {}

  /** An encoded key, compared by its bytes. */
  private record Key(byte[] bytes, int hash) {
    Key(byte[] bytes) {
      this(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key that && hash == that.hash && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A read that missed and may fill the copy: {@link #complete} it with what Redis answered. */
  static final class Fill {
    private final Key key;
    private final Pending marker;
    private final long sentAt;

    private Fill(Key key, Pending marker, long sentAt) {
      this.key = key;
      this.marker = marker;
      this.sentAt = sentAt;
    }
  }

  /**
   * @param encodedKey an encoded key
   * @return this JVM's copy and the time Redis gives it, or {@code null} if there is none to serve
   */
  TimedValue get(byte[] encodedKey) {
    long now = System.nanoTime();
    if (now - liveUntil < 0 && slots.get(new Key(encodedKey)) instanceof Held held
        && now - held.servedUntil() < 0) {
      hits.increment();
      return new TimedValue(held.bytes(), held.expiresAt() == Long.MAX_VALUE ? -1
          : Math.max(1, TimeUnit.NANOSECONDS.toMillis(held.expiresAt() - now)));
    }
    misses.increment();
    return null;
  }

  /**
   * Marks a read about to be sent.
   *
   * @return the fill to complete, or {@code null} if nothing may be kept now (not tracking)
   */
  Fill begin(byte[] encodedKey) {
    if (!isLive()) {
      return null;
    }
    var fill = new Fill(new Key(encodedKey), new Pending(generation.get()), System.nanoTime());
    slots.put(fill.key, fill.marker);
    return fill;
  }

  /**
   * Keeps what the read found, unless the entry changed or tracking was lost since it was sent.
   *
   * @param found the entry and its time left, or {@code null} if absent
   */
  void complete(Fill fill, TimedValue found) {
    if (fill == null) {
      return;
    }
    if (found == null || found.remainingMillis() == 0) {
      slots.remove(fill.key, fill.marker);
      return;
    }
    // times count from when the read was sent: the copy never outlives the entry
    long expiresAt = found.expires()
        ? fill.sentAt + TimeUnit.MILLISECONDS.toNanos(found.remainingMillis()) : Long.MAX_VALUE;
    long servedUntil = fill.sentAt + maxTtlNanos;
    if (expiresAt - servedUntil < 0) {
      servedUntil = expiresAt;
    }
    var held = new Held(found.bytes(), servedUntil, expiresAt);
    if (slots.replace(fill.key, fill.marker, held)
        && (generation.get() != fill.marker.generation() || !isLive())) {
      slots.remove(fill.key, held);
    }
  }

  /** Forgets the copies of these entries, and any fill of them in flight. */
  void invalidate(List<byte[]> encodedKeys) {
    for (byte[] encodedKey : encodedKeys) {
      invalidate(encodedKey);
    }
  }

  void invalidate(byte[] encodedKey) {
    slots.remove(new Key(encodedKey));
  }

  /** Redis said these entries changed. */
  void invalidated(List<byte[]> encodedKeys) {
    invalidations.add(encodedKeys.size());
    invalidate(encodedKeys);
  }

  /** Drops every copy and every fill in flight: Redis said everything changed (a flush). */
  void dropAll() {
    generation.incrementAndGet();
    copies.invalidateAll();
    drops.increment();
  }

  /** Tracking is lost: nothing is served or kept until it is back. */
  void suspend() {
    liveUntil = System.nanoTime();
    dropAll();
  }

  /**
   * Tracking is back: from now on, every change is heard.
   *
   * @param until when serving stops unless {@link #extend extended} ({@link System#nanoTime()})
   */
  void resume(long until) {
    generation.incrementAndGet();
    liveUntil = until;
  }

  /**
   * Tracking was heard to work again: serve longer. Called under the tracking's lock, so that it
   * never revives a suspended cache.
   *
   * @param until the new end of serving, if later than the current one
   */
  void extend(long until) {
    if (until - liveUntil > 0) {
      liveUntil = until;
    }
  }

  /** @return whether copies are being served */
  boolean isLive() {
    return System.nanoTime() - liveUntil < 0;
  }

  /**
   * @return hits, misses, invalidations received, full drops, copies held, and whether copies are
   *     served (1) or not (0), in that order
   */
  long[] counts() {
    return new long[] {hits.sum(), misses.sum(), invalidations.sum(), drops.sum(),
        copies.estimatedSize(), isLive() ? 1 : 0};
  }
}

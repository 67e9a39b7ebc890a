package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import dev.stepper.cache.redis.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The steps several of one cache's operations take: turning a value into a write with its
 * time-to-live, applying the expiry policy on access, announcing a stored value, comparing by
 * value. The operations hold their other collaborators themselves, given by {@link CacheFactory}.
 */
final class CacheSteps<K, V> {

  private final EntryStore store;
  private final EntryCodec<K, V> codec;
  private final CacheExpiry expiry;
  private final WriteProtocol protocol;
  private final EventDispatcher<K, V> events;
  /** A value's own time-to-live (placeholders, failure records), or null for the policy's. */
  private final Function<V, Ttl> ownLifetime;

  /**
   * @param ownLifetime a value's own time-to-live, or {@code null} where the expiry policy decides
   */
  CacheSteps(EntryStore store, EntryCodec<K, V> codec, CacheExpiry expiry, WriteProtocol protocol,
      EventDispatcher<K, V> events, Function<V, Ttl> ownLifetime) {
    this.store = store;
    this.codec = codec;
    this.expiry = expiry;
    this.protocol = protocol;
    this.events = events;
    this.ownLifetime = ownLifetime;
  }

  /**
   * A write of a value with its time-to-live: the value's own if it has one (a stale-while-
   * revalidate placeholder lives until its lease ends, a failure record until its retry time and
   * then some), else the expiry policy's.
   */
  Write set(V value) {
    byte[] bytes = codec.value(value);
    Ttl own = ownTtl(value);
    return own == null ? expiry.set(bytes) : Write.set(bytes, own, own);
  }

  /** @return the value's own time-to-live, or {@code null} if the expiry policy decides */
  Ttl ownTtl(V value) {
    return ownLifetime.apply(value);
  }

  boolean contains(K key) {
    return store.contains(codec.key(key));
  }

  List<byte[]> encodeKeys(List<K> keys) {
    List<byte[]> encoded = new ArrayList<>(keys.size());
    for (K key : keys) {
      encoded.add(codec.key(key));
    }
    return encoded;
  }

  /**
   * Applies the expiry policy's verdict on access to entries that were read, in one pipeline; an
   * entry that changed since it was read is left alone.
   *
   * @param bytes what was read for each key; {@code null} entries were not found and are skipped
   */
  void accessed(List<K> keys, List<byte[]> encodedKeys, List<byte[]> bytes,
      EventBatch<K, V> batch) {
    var touchedKeys = new ArrayList<byte[]>();
    var touches = new ArrayList<Write>();
    var touchedIndexes = new ArrayList<Integer>();
    for (int i = 0; i < keys.size(); i++) {
      if (bytes.get(i) == null) {
        continue;
      }
      Ttl access = expiry.access();
      if (access != Ttl.KEEP) {
        touchedKeys.add(encodedKeys.get(i));
        touches.add(Write.touch(access).when(Condition.holding(bytes.get(i))));
        touchedIndexes.add(i);
      }
    }
    if (touches.isEmpty()) {
      return;
    }
    List<WriteResult> results = store.writeAll(touchedKeys, touches);
    for (int t = 0; t < touches.size(); t++) {
      int i = touchedIndexes.get(t);
      if (touches.get(t).ifExisting() == Ttl.ZERO
          && results.get(t).outcome() == WriteResult.Outcome.APPLIED) {
        batch.expired(keys.get(i), codec.decodeReplaced(encodedKeys.get(i), bytes.get(i)));
      }
    }
  }

  /**
   * Records the event of a write that set a value.
   *
   * @param previous the value it replaced, if known
   * @return whether the write stored the value: a put, where the caller counts puts
   */
  boolean announceSet(K key, V value, V previous, Sent sent, EventBatch<K, V> batch) {
    if (sent.storedBlind()) {
      // sent blind because no listener was registered here
      return true;
    }
    if (sent.created()) {
      batch.created(key, value);
      return true;
    }
    if (sent.updated()) {
      batch.updated(key, value, previous);
      if (sent.expiredOnUpdate()) {
        batch.expired(key, value);
      }
      return true;
    }
    return false;
  }

  /**
   * Applies a write conditional on the entry holding a value equal to {@code expected}: by bytes
   * in one round trip, and after a mismatch by {@code equals} on the stored value the failed write
   * returned, since JDK serialization can write equal values (a {@code HashMap} with another
   * history) differently.
   */
  Sent whenEqual(byte[] encodedKey, Write write, byte[] expectedBytes, V expected,
      WriteProtocol.Decision decision) {
    Sent sent = protocol.apply(encodedKey, write.when(Condition.holding(expectedBytes)), decision);
    byte[] stored = sent.previous();
    if (sent.applied() || stored == null
        || !expected.equals(codec.decodeReplaced(encodedKey, stored))) {
      return sent;
    }
    return protocol.apply(encodedKey, write.when(Condition.holding(stored)), decision);
  }

  /** A conditional operation that found another value counts as an access of it. */
  void accessedAfterMismatch(K key, byte[] encodedKey, Sent sent) {
    if (!sent.applied() && sent.previous() != null) {
      EventBatch<K, V> batch = events.batch();
      accessed(List.of(key), List.of(encodedKey), List.of(sent.previous()), batch);
      batch.fire();
    }
  }

  /** The replaced value an operation returns, failing only if it was there but unreadable. */
  V returnedPrevious(String operation, byte[] encodedKey, byte[] bytes, V decoded) {
    if (decoded == null && bytes != null) {
      throw codec.replacedUnreadable(operation, encodedKey, bytes);
    }
    return decoded;
  }
}

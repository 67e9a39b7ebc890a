package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.JobRecords;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.cache.CacheException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * {@code invoke} and {@code invokeAll}: read the entry, run the processor in Java, commit its one
 * change by compare-and-set on the bytes that were read (they are the entry's version), and run
 * the processor again if another client changed the entry meanwhile. Concurrent processors on one
 * key, in any number of JVMs, never lose an update. A value changed and changed back counts as
 * unchanged, which is harmless: the processor's input is the value, and it is the same.
 *
 * <p>On an absent entry the processor runs under a lease, one caller at a time in every JVM: a
 * processor that computes the value (Spring's {@code @Cacheable(sync = true)}) computes it once,
 * and the callers waiting meanwhile find it. A holder that dies frees the lease when it runs out.
 */
final class EntryProcessing<K, V> {

  /** How many timeouts an {@code invoke} keeps retrying against concurrent changes. */
  private static final int RETRY_TIMEOUTS = 5;
  /** How long other callers wait, at most, for a processor working on an absent entry. */
  static final Duration FLIGHT_LEASE = Duration.ofSeconds(30);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String name;
  private final EntryStore store;
  private final EntryCodec<K, V> codec;
  private final CacheExpiry expiry;
  private final WriteProtocol protocol;
  private final Writer<K, V> writer;
  private final Loader<K, V> readThrough;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  private final CacheSteps<K, V> steps;
  private final JobRecords flights;

  EntryProcessing(Collaborators<K, V> parts) {
    this.name = parts.name();
    this.store = parts.store();
    this.codec = parts.codec();
    this.expiry = parts.expiry();
    this.protocol = parts.protocol();
    this.writer = parts.writer();
    this.readThrough = parts.readThrough();
    this.statistics = parts.statistics();
    this.events = parts.events();
    this.steps = parts.steps();
    this.flights = store.flights();
  }

  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    byte[] encodedKey = codec.key(key);
    long deadline = System.nanoTime()
        + RETRY_TIMEOUTS * store.settings().timeout().toNanos();
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      byte[] bytes = store.get(encodedKey);
      String flight = null;
      if (bytes == null) {
        flight = board(encodedKey);
        // what the caller that held the lease before left
        bytes = store.get(encodedKey);
        if (bytes != null) {
          flights.release(encodedKey, flight);
          flight = null;
        }
        deadline = Math.max(deadline, System.nanoTime()
            + RETRY_TIMEOUTS * store.settings().timeout().toNanos());
      }
      try {
        var entry = new ProcessorEntry<>(key, codec.decodeValue(encodedKey, bytes),
            readThrough);
        T result = process(processor, entry, arguments);
        EventBatch<K, V> batch = events.batch();
        if (commit(entry, encodedKey, bytes, batch, start)) {
          statistics.recordRead(bytes != null);
          batch.fire();
          return result;
        }
      } finally {
        if (flight != null) {
          flights.release(encodedKey, flight);
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new CacheException("invoke on key " + key + " of cache " + name
            + " gave up after " + attempt + " attempts: other clients kept changing the entry");
      }
      backOff(attempt);
    }
  }

  /**
   * Waits until this caller holds the lease of the absent entry; at most as long as another
   * holder's lease runs, polling more slowly as it goes.
   *
   * @return the caller's token
   */
  private String board(byte[] encodedKey) {
    String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
    long pause = TimeUnit.MILLISECONDS.toNanos(1);
    while (true) {
      JobRecords.Grant grant = flights.acquire(encodedKey, token, FLIGHT_LEASE);
      if (grant.acquired()) {
        return token;
      }
      LockSupport.parkNanos(Math.min(pause, Math.max(grant.heldFor().toNanos(), 1)));
      if (Thread.currentThread().isInterrupted()) {
        throw new CacheException("Interrupted while another caller's invoke worked on the absent"
            + " entry at Redis key \"" + codec.describe(encodedKey) + "\" of cache " + name);
      }
      pause = Math.min(pause * 2, MAX_POLL_NANOS);
    }
  }

  private static <K, V, T> T process(EntryProcessor<K, V, T> processor,
      ProcessorEntry<K, V> entry, Object... arguments) {
    try {
      return processor.process(entry, arguments);
    } catch (CacheException e) {
      throw e;
    } catch (Exception e) {
      throw new EntryProcessorException(e);
    }
  }

  /**
   * Writes what the processor did, if the entry still holds the bytes it was read with. The writer
   * runs before each attempt's write, so a retried processor may reach the writer again.
   *
   * @return false if another client changed the entry meanwhile, so the processor must run again
   */
  private boolean commit(ProcessorEntry<K, V> entry, byte[] encodedKey, byte[] bytes,
      EventBatch<K, V> batch, long start) {
    K key = entry.getKey();
    Condition unchanged = bytes == null ? Condition.ABSENT : Condition.holding(bytes);
    switch (entry.outcome()) {
      case NONE -> {
        return true;
      }
      case ACCESSED -> {
        steps.accessed(List.of(key), List.of(encodedKey), List.of(bytes), batch);
        return true;
      }
      case REMOVED -> {
        writer.delete(key);
        if (bytes == null) {
          return true;
        }
        Sent sent = protocol.apply(encodedKey, Write.delete().when(unchanged), null);
        if (sent.removed()) {
          statistics.recordRemovals(1, start);
          batch.removed(key, entry.original());
        }
        return sent.applied();
      }
      default -> {
        boolean loaded = entry.outcome() == ProcessorEntry.Outcome.LOADED;
        if (!loaded) {
          writer.write(key, entry.value());
        }
        Ttl own = steps.ownTtl(entry.value());
        Ttl ttl = own != null ? own : bytes == null ? expiry.creation() : expiry.update();
        Write write = Write.set(codec.value(entry.value()), ttl, ttl).when(unchanged);
        Sent sent = protocol.apply(encodedKey, write, null);
        if (!sent.applied()) {
          return false;
        }
        boolean stored = steps.announceSet(key, entry.value(), entry.original(), sent, batch);
        statistics.recordPuts(stored && !loaded ? 1 : 0, start);
        return true;
      }
    }
  }

  private static void backOff(int attempt) {
    if (attempt > 2) {
      // Spread contending JVMs apart; grows to at most about a millisecond.
      long maxNanos = Math.min(1_000_000L, 1_000L << Math.min(attempt, 10));
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxNanos));
    }
  }

  /** Runs the processor per key; failures become results that throw, nulls are left out. */
  <T> Map<K, EntryProcessorResult<T>> invokeAll(List<K> keys, EntryProcessor<K, V, T> processor,
      Object... arguments) {
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (Exception e) {
        EntryProcessorException failure = e instanceof EntryProcessorException epe
            ? epe : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
      }
    }
    return results;
  }
}

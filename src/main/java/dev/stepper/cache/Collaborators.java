package dev.stepper.cache;

import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.redis.EntryStore;

/**
 * What one cache's operations work with, made once by {@link CacheFactory}; each operation class
 * takes the parts it uses into fields of its own.
 *
 * @param name the cache's name, for messages
 * @param store the cache's entries in Redis
 * @param codec turns keys and values into bytes and back
 * @param expiry the expiry policy, as Redis time-to-lives
 * @param protocol sends writes, probing first when Java must decide in between
 * @param writer the write-through, or the disabled one
 * @param readThrough the loader of reads that missed, or the disabled one
 * @param statistics the cache's counters
 * @param events the cache's listeners
 * @param steps the steps several operations take
 */
record Collaborators<K, V>(String name, EntryStore store, EntryCodec<K, V> codec, CacheExpiry expiry,
    WriteProtocol protocol, Writer<K, V> writer, Loader<K, V> readThrough,
    CacheStatistics statistics, EventDispatcher<K, V> events, CacheSteps<K, V> steps) {}

package dev.stepper.cache.redis;

import java.util.List;

/**
 * How one cache's entries are read: from Redis every time ({@link RemoteReads}), or from this
 * JVM's copies first ({@link NearReads}). The store chooses once, when the cache is made.
 */
interface EntryReads {

  /** @return the stored bytes of each, {@code null} where absent, in the same order */
  List<byte[]> getAll(List<byte[]> keys);

  /** @return the entry and the time it has left, or {@code null} if absent */
  TimedValue getWithTtl(byte[] key);

  /** Called before a write of these entries is sent, and again once it is done. */
  void writing(List<byte[]> keys);

  /**
   * @return the near cache's hits, misses, invalidations, drops, size and serving flag; zeros
   *     without one
   */
  long[] nearCacheCounts();

  /** Stops what the reads run beside them. */
  void close();
}

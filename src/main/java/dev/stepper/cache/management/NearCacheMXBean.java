package dev.stepper.cache.management;

/**
 * The near cache of one cache in this JVM, registered as
 * {@code dev.stepper.cache:type=NearCache,CacheManager=<uri>,Cache=<name>} for caches that have
 * one (and so visible to Micrometer's JMX support). Counted whether or not statistics are enabled.
 */
public interface NearCacheMXBean {

  /** @return reads served from this JVM's copy, without a round trip */
  long getHits();

  /** @return reads that had no copy to serve and went to Redis */
  long getMisses();

  /** @return keys Redis said changed (another client's write, an expiry, an eviction) */
  long getInvalidations();

  /** @return times every copy was dropped: a flush, or the tracking connection lost */
  long getDrops();

  /** @return copies held now, about */
  long getSize();

  /** @return whether copies are served now: false while tracking is being (re)established */
  boolean isServing();
}

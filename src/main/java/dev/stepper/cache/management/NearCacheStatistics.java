package dev.stepper.cache.management;

import java.util.function.Supplier;

/** The near cache's MXBean over the counts the near cache keeps itself. */
public final class NearCacheStatistics implements NearCacheMXBean {

  private final Supplier<long[]> counts;

  /**
   * @param counts hits, misses, invalidations, drops, size and serving (1 or 0), in that order
   */
  public NearCacheStatistics(Supplier<long[]> counts) {
    this.counts = counts;
  }

  @Override
  public long getHits() {
    return counts.get()[0];
  }

  @Override
  public long getMisses() {
    return counts.get()[1];
  }

  @Override
  public long getInvalidations() {
    return counts.get()[2];
  }

  @Override
  public long getDrops() {
    return counts.get()[3];
  }

  @Override
  public long getSize() {
    return counts.get()[4];
  }

  @Override
  public boolean isServing() {
    return counts.get()[5] == 1;
  }
}

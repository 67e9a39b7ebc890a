package dev.stepper.cache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The counters of one cache in this JVM, kept as the specification's table says. Recording is
 * cheap and lock-free; it does nothing while statistics are disabled.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private volatile boolean enabled;

  /** @param enabled whether to count from now on */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @param count hits to add */
  public void recordHits(long count) {
    if (enabled) {
      hits.add(count);
    }
  }

  /** @param count misses to add */
  public void recordMisses(long count) {
    if (enabled) {
      misses.add(count);
    }
  }

  /** @param hit whether a read found its entry: a hit, else a miss */
  public void recordRead(boolean hit) {
    if (hit) {
      recordHits(1);
    } else {
      recordMisses(1);
    }
  }

  /**
   * @param count puts made by one operation
   * @param startNanos {@link System#nanoTime()} when it began; its time counts only with its puts
   */
  public void recordPuts(long count, long startNanos) {
    if (enabled && count > 0) {
      puts.add(count);
      putNanos.add(System.nanoTime() - startNanos);
    }
  }

  /**
   * @param count removals made by one operation
   * @param startNanos {@link System#nanoTime()} when it began; its time counts only with its
   *     removals
   */
  public void recordRemovals(long count, long startNanos) {
    if (enabled && count > 0) {
      removals.add(count);
      removeNanos.add(System.nanoTime() - startNanos);
    }
  }

  /** @param startNanos {@link System#nanoTime()} when the get began */
  public void recordGetTime(long startNanos) {
    if (enabled) {
      getNanos.add(System.nanoTime() - startNanos);
    }
  }

  @Override
  public void clear() {
    for (LongAdder adder : new LongAdder[] {hits, misses, puts, removals, getNanos, putNanos,
        removeNanos}) {
      adder.reset();
    }
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    return percentage(getCacheHits(), getCacheGets());
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    return percentage(getCacheMisses(), getCacheGets());
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  /** Always 0: Redis evicts under memory pressure without telling its clients. */
  @Override
  public long getCacheEvictions() {
    return 0;
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeNanos.sum(), getCacheRemovals());
  }

  private static float percentage(long part, long whole) {
    return whole == 0 ? 0f : part * 100f / whole;
  }

  private static float averageMicros(long nanos, long count) {
    return count == 0 ? 0f : nanos / 1000f / count;
  }
}

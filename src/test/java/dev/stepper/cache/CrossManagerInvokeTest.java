package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code invoke} is atomic across managers: the processor runs in Java on a snapshot, and its
 * result is committed only if the stored bytes are still the ones it read, else it runs again.
 * Eight threads on two managers incrementing one counter lose no update and commit none twice.
 */
@RedisTest
@Timeout(60)
class CrossManagerInvokeTest {

  private static final int THREADS = 8;
  private static final int INCREMENTS_PER_THREAD = 1_000;

  private final ManagerFixture fixture = new ManagerFixture();
  private Cache<String, Integer> cacheA;
  private Cache<String, Integer> cacheB;
  private Race race;

  @BeforeEach
  void openTwoManagers(RedisEndpoint redis) {
    URI uri = redis.uriWithUniquePrefix("invoke");
    var config = new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class);
    cacheA = fixture.separateCache(uri, "counters", config);
    cacheB = fixture.separateCache(uri, "counters", config);
    race = fixture.own(new Race(THREADS, Duration.ofSeconds(50)));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void concurrentIncrementsOnTwoManagersAddUpExactly() throws Exception {
    Set<Integer> results = ConcurrentHashMap.newKeySet();
    runOnAllThreads(cache -> {
      for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
        results.add(cache.invoke("counter", new Increment()));
      }
    });

    int total = THREADS * INCREMENTS_PER_THREAD;
    assertEquals(total, cacheA.get("counter"));
    assertEquals(total, cacheB.get("counter"));
    // Each committed increment saw a distinct predecessor: no two commits built on one read.
    assertEquals(IntStream.rangeClosed(1, total).boxed().collect(Collectors.toSet()), results);
  }

  @Test
  void concurrentInvokeAllOnTwoManagersAddsUpExactlyPerKey() throws Exception {
    Set<String> keys = Set.of("c1", "c2", "c3", "c4");
    int rounds = 125;
    Map<String, Set<Integer>> results = new ConcurrentHashMap<>();
    keys.forEach(key -> results.put(key, ConcurrentHashMap.newKeySet()));
    runOnAllThreads(cache -> {
      for (int i = 0; i < rounds; i++) {
        Map<String, EntryProcessorResult<Integer>> round = cache.invokeAll(keys, new Increment());
        assertEquals(keys, round.keySet());
        round.forEach((key, result) -> results.get(key).add(result.get()));
      }
    });

    int perKey = THREADS * rounds;
    Set<Integer> expected = IntStream.rangeClosed(1, perKey).boxed().collect(Collectors.toSet());
    for (String key : keys) {
      assertEquals(perKey, cacheB.get(key), key);
      assertEquals(expected, results.get(key), key);
    }
  }

  @Test
  void removingProcessorRacingIncrementsLeavesAConsistentCount() throws Exception {
    // Threads of one manager increment while the other's remove the counter whenever it reaches
    // ten: the removals' counts plus what is left must equal the increments made.
    List<Integer> removedCounts = new CopyOnWriteArrayList<>();
    int incrementsPerThread = 300;
    runOnAllThreads(cache -> {
      if (cache == cacheA) {
        for (int i = 0; i < incrementsPerThread; i++) {
          cache.invoke("counter", new Increment());
        }
      } else {
        for (int i = 0; i < incrementsPerThread; i++) {
          Integer removed = cache.invoke("counter", new RemoveAtLeast(10));
          if (removed != null) {
            removedCounts.add(removed);
          }
        }
      }
    });

    int sumRemoved = removedCounts.stream().mapToInt(Integer::intValue).sum();
    Integer left = cacheA.get("counter");
    assertEquals(THREADS / 2 * incrementsPerThread, sumRemoved + (left == null ? 0 : left),
        "removed " + removedCounts + ", left " + left);
  }

  /**
   * What Spring's {@code @Cacheable(sync = true)} does: an invoke that reads, and on a miss
   * computes the value and sets it. Eight callers over two managers: one computes, the others wait
   * for its value rather than compute their own.
   */
  @Test
  void anInvokeComputingAnAbsentValueComputesItOnceWhileTheOthersWait() throws Exception {
    var computations = new AtomicInteger();
    Set<Integer> results = ConcurrentHashMap.newKeySet();
    runOnAllThreads(cache -> results.add(cache.invoke("slow", (entry, args) -> {
      if (!entry.exists()) {
        computations.incrementAndGet();
        LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        entry.setValue(42);
      }
      return entry.getValue();
    })));

    assertEquals(1, computations.get(), "callers that computed the absent value");
    assertEquals(Set.of(42), results, "every caller got the one computed value");
  }

  @Test
  void aProcessorThatSetsNothingLetsTheNextCallerWorkAtOnce() throws Exception {
    // A lease left behind would hold each next caller for its 30 s: the class's timeout fails it.
    var ran = new AtomicInteger();
    runOnAllThreads(cache -> cache.invoke("untouched", (entry, args) -> {
      ran.incrementAndGet();
      return entry.exists();
    }));

    assertEquals(THREADS, ran.get());
  }

  private interface Work {
    void run(Cache<String, Integer> cache) throws Exception;
  }

  /** Runs the work on every thread at once, half of them through each manager. */
  private void runOnAllThreads(Work work) throws Exception {
    race.run(thread -> {
      work.run(thread < THREADS / 2 ? cacheA : cacheB);
      return null;
    });
  }

  /** Adds one, starting from zero, and returns the new count. */
  static final class Increment implements EntryProcessor<String, Integer, Integer> {
    @Override
    public Integer process(MutableEntry<String, Integer> entry, Object... arguments) {
      int next = entry.exists() ? entry.getValue() + 1 : 1;
      entry.setValue(next);
      return next;
    }
  }

  /** Removes the counter if it reached a threshold, returning the count it removed. */
  static final class RemoveAtLeast implements EntryProcessor<String, Integer, Integer> {
    private final int threshold;

    RemoveAtLeast(int threshold) {
      this.threshold = threshold;
    }

    @Override
    public Integer process(MutableEntry<String, Integer> entry, Object... arguments) {
      if (entry.exists() && entry.getValue() >= threshold) {
        int count = entry.getValue();
        entry.remove();
        return count;
      }
      return null;
    }
  }
}

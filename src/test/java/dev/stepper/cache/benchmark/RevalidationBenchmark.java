package dev.stepper.cache.benchmark;

import dev.stepper.cache.StepperCachingProvider;
import dev.stepper.cache.management.RevalidationMXBean;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a stale-while-revalidate read costs against Redis on loopback, one caller thread: a stale
 * hit must cost about what a fresh hit does, because its refresh runs on the cache's job executor,
 * off the caller's path.
 *
 * <ul>
 *   <li>{@link #freshHit}: a fresh entry of a cache with a {@link StaleWhileRevalidate} policy
 *       (fresh 1 h, stale 1 h) and a read-through loader: one {@code read.lua} script (GET and
 *       PTTL).
 *   <li>{@link #staleHit}: a stale entry of the same kind of cache. It is stale from the start:
 *       the policy is fresh 1 ms and stale 1 h, so an entry lives 1 h + 1 ms and is stale once
 *       less than 1 h is left, i.e. 1 ms after it is written; reads do not extend it.
 *   <li>{@link #plainGet}: a present entry of a plain cache ({@link MutableConfiguration}, eternal,
 *       no loader): one {@code GET}.
 *   <li>{@link #lettuceGet}: the baseline, a {@code GET} with Lettuce alone.
 * </ul>
 *
 * <p>How the stale entry stays stale for the whole trial: its loader <em>blocks</em> until tear
 * down. The first read in set-up schedules the one refresh, which takes the entry's lease and then
 * waits in the loader; from then on every read is a genuine stale hit that goes through
 * {@code refreshLater} and finds this JVM's refresh already in flight (the local de-duplication),
 * so no read queues or runs another job and the executor stays idle. A loader that returned would
 * make the entry fresh again; one that threw would make each later stale hit submit a job that
 * meets the failure backoff in Redis, i.e. one background round trip per read competing for the
 * two cores, which is not what a steady stale hit costs. Set-up checks through the platform MBean
 * server ({@code dev.stepper.cache:type=Revalidation,CacheManager=*,Cache=<name>}) that reads count
 * as stale hits and join the refresh in flight, and fails otherwise; tear down checks, before it
 * releases the loader, that nothing refreshed, rejected or re-submitted anything meanwhile, so
 * every measured read was a stale hit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RevalidationBenchmark {

  private static final String KEY = "hot";
  private static final String VALUE =
      "a commit diary of about eighty characters, as a JDK-serialized string";

  /** A fresh entry of a stale-while-revalidate cache with a read-through loader. */
  @State(Scope.Benchmark)
  public static class Fresh {
    private static final String NAME = "swr-fresh";
    private CacheManager manager;
    Cache<String, String> cache;

    /** Opens the cache, writes the entry and checks that reading it is not a stale hit. */
    @Setup(Level.Trial)
    public void open() {
      manager = openManager("bench-swr-fresh");
      CacheLoader<String, String> loader = new ConstantLoader();
      cache = manager.createCache(NAME, swrConfiguration(
          StaleWhileRevalidate.fresh(Duration.ofHours(1)).stale(Duration.ofHours(1)), loader));
      cache.put(KEY, VALUE);
      RevalidationMXBean counters = revalidationBean(NAME);
      for (int i = 0; i < 100; i++) {
        check(VALUE.equals(cache.get(KEY)), "the fresh entry was not served");
      }
      check(counters.getStaleHits() == 0, "reads of the fresh entry counted as stale hits");
      check(counters.getJobsStarted() == 0, "reads of the fresh entry started jobs");
    }

    /** Removes what the trial wrote. */
    @TearDown(Level.Trial)
    public void close() {
      closeManager(manager, NAME);
    }
  }

  /** A stale entry whose one refresh is in flight, blocked in the loader, until tear down. */
  @State(Scope.Benchmark)
  public static class Stale {
    private static final String NAME = "swr-stale";
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final AtomicInteger loads = new AtomicInteger();
    private CacheManager manager;
    private RevalidationMXBean counters;
    Cache<String, String> cache;

    /** Opens the cache, makes the entry stale, starts its refresh and checks reads are stale hits. */
    @Setup(Level.Trial)
    public void open() throws InterruptedException {
      manager = openManager("bench-swr-stale");
      CacheLoader<String, String> loader = new ConstantLoader() {
        @Override
        public String load(String key) {
          loads.incrementAndGet();
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "refreshed";
        }
      };
      cache = manager.createCache(NAME, swrConfiguration(StaleWhileRevalidate
          .fresh(Duration.ofMillis(1)).stale(Duration.ofHours(1)).lease(Duration.ofHours(1)),
          loader));
      cache.put(KEY, VALUE);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // past the 1 ms fresh window
      counters = revalidationBean(NAME);

      check(VALUE.equals(cache.get(KEY)), "the stale entry was not served");
      check(counters.getStaleHits() == 1, "the first read was not a stale hit: "
          + counters.getStaleHits());
      check(entered.await(10, TimeUnit.SECONDS), "the refresh did not reach the loader");

      int reads = 1000;
      for (int i = 0; i < reads; i++) {
        check(VALUE.equals(cache.get(KEY)), "the stale entry was not served");
      }
      check(counters.getStaleHits() == 1 + reads, "not every read was a stale hit: "
          + counters.getStaleHits() + " stale hits of " + (1 + reads) + " reads");
      check(counters.getSingleFlightWaits() == reads, "not every stale hit found the refresh in"
          + " flight: " + counters.getSingleFlightWaits() + " of " + reads);
      checkUntouched();
    }

    private void checkUntouched() {
      check(loads.get() == 1, "the loader ran " + loads.get() + " times, not once");
      check(counters.getRefreshes() == 0 && counters.getRefreshFailures() == 0,
          "the entry was refreshed (" + counters.getRefreshes() + ") or failed to ("
              + counters.getRefreshFailures() + ")");
      check(counters.getJobsRejected() == 0 && counters.getBackoffHits() == 0,
          "refreshes were rejected (" + counters.getJobsRejected() + ") or met a backoff ("
              + counters.getBackoffHits() + ")");
      // one stale hit scheduled the refresh; every other one joined it
      check(counters.getStaleHits() == counters.getSingleFlightWaits() + 1,
          "stale hits " + counters.getStaleHits() + " vs. joins " + counters.getSingleFlightWaits());
    }

    /** Checks every measured read was a stale hit, releases the refresh and removes the cache. */
    @TearDown(Level.Trial)
    public void close() {
      try {
        checkUntouched();
        System.out.println("# staleHit: " + counters.getStaleHits() + " stale hits, "
            + counters.getSingleFlightWaits() + " joined the refresh in flight");
      } finally {
        release.countDown();
        closeManager(manager, NAME);
      }
    }
  }

  /** A present entry of a plain cache. */
  @State(Scope.Benchmark)
  public static class Plain {
    private static final String NAME = "plain";
    private CacheManager manager;
    Cache<String, String> cache;

    /** Opens the cache and writes the entry. */
    @Setup(Level.Trial)
    public void open() {
      manager = openManager("bench-plain");
      cache = manager.createCache(NAME,
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      cache.put(KEY, VALUE);
      check(VALUE.equals(cache.get(KEY)), "the entry was not served");
    }

    /** Removes what the trial wrote. */
    @TearDown(Level.Trial)
    public void close() {
      closeManager(manager, NAME);
    }
  }

  /** A Lettuce connection alone. */
  @State(Scope.Benchmark)
  public static class Raw {
    private static final byte[] RAW_KEY = ("raw:" + RedisEndpoint.uniquePrefix("bench-swr"))
        .getBytes(StandardCharsets.UTF_8);
    private RedisClient client;
    StatefulRedisConnection<byte[], byte[]> connection;

    /** Connects and writes the key. */
    @Setup(Level.Trial)
    public void open() {
      client = RedisClient.create(RedisEndpoint.shared().uri().toString());
      connection = client.connect(ByteArrayCodec.INSTANCE);
      connection.sync().set(RAW_KEY, VALUE.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the key and disconnects. */
    @TearDown(Level.Trial)
    public void close() {
      connection.sync().del(RAW_KEY);
      connection.close();
      client.shutdown();
    }
  }

  /** @return a fresh hit: one script, nothing scheduled */
  @Benchmark
  public String freshHit(Fresh state) {
    return state.cache.get(KEY);
  }

  /** @return a stale hit: one script, and a refresh found already in flight */
  @Benchmark
  public String staleHit(Stale state) {
    return state.cache.get(KEY);
  }

  /** @return a hit of a plain cache: one GET */
  @Benchmark
  public String plainGet(Plain state) {
    return state.cache.get(KEY);
  }

  /** @return the baseline: a GET with Lettuce alone, no JCache, no codec */
  @Benchmark
  public byte[] lettuceGet(Raw state) {
    return state.connection.sync().get(Raw.RAW_KEY);
  }

  /** A loader that answers at once; never called on a hit. */
  static class ConstantLoader implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      return VALUE;
    }

    @Override
    public java.util.Map<String, String> loadAll(Iterable<? extends String> keys) {
      java.util.Map<String, String> all = new java.util.HashMap<>();
      for (String key : keys) {
        all.put(key, load(key));
      }
      return all;
    }
  }

  static CacheManager openManager(String hint) {
    return Caching.getCachingProvider(StepperCachingProvider.class.getName()).getCacheManager(
        RedisEndpoint.shared().uriWithUniquePrefix(hint), RevalidationBenchmark.class.getClassLoader());
  }

  static MutableConfiguration<String, String> swrConfiguration(StaleWhileRevalidate policy,
      CacheLoader<String, String> loader) {
    Factory<CacheLoader<String, String>> loaderFactory = () -> loader;
    return new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(policy.factory())
        .setCacheLoaderFactory(loaderFactory)
        .setReadThrough(true);
  }

  static void closeManager(CacheManager manager, String cacheName) {
    if (manager != null) {
      manager.destroyCache(cacheName);
      manager.close();
    }
  }

  /** The cache's Revalidation MXBean, found by a pattern on the platform MBean server. */
  static RevalidationMXBean revalidationBean(String cacheName) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      Set<ObjectName> names = server.queryNames(new ObjectName(
          "dev.stepper.cache:type=Revalidation,CacheManager=*,Cache=" + cacheName), null);
      check(names.size() == 1, "expected one Revalidation MXBean for cache " + cacheName
          + ", found " + names);
      return JMX.newMXBeanProxy(server, names.iterator().next(), RevalidationMXBean.class);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  static void check(boolean condition, String failure) {
    if (!condition) {
      throw new IllegalStateException(failure);
    }
  }
}

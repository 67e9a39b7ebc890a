package dev.stepper.cache.benchmark;

import dev.stepper.cache.StepperCachingProvider;
import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The near cache against the remote read and the floor, side by side in one run, on Redis on
 * loopback with 1 KiB values:
 *
 * <ul>
 *   <li>{@link #get}: one key read again and again, one thread ({@code near}: served from this
 *       JVM; {@code remote}: the same cache without a near cache, one round trip);
 *   <li>{@link #lettuceGet}: the floor, a {@code GET} with Lettuce alone;
 *   <li>{@link #hotKeys}: 8 threads over 10,000 keys, 90 % of reads on 100 of them (1 %), and 1 % of
 *       operations writes of a random key, with and without the near cache;
 *   <li>the group {@code lag}: the same load on 7 threads ({@link #lagLoad}) while an eighth
 *       ({@link #lagProbe}) measures how long after a second manager's write returns (another
 *       JVM's stand-in, on connections of its own) the cache serves the new value: JMH samples
 *       every wait, so its percentiles are the invalidation lag's p50, p99 and max.
 * </ul>
 *
 * {@code mvn -o -B test-compile exec:exec@jmh -Djmh.args=NearCache}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NearCacheBenchmark {

  private static final int KEYS = 10_000;
  private static final int HOT = 100;
  private static final String VALUE = "x".repeat(1024);

  /** A cache of 10,000 entries of 1 KiB, with or without a near cache, and a plain connection. */
  @State(Scope.Benchmark)
  public static class Caches {
    @Param({"near", "remote"})
    public String read;

    private CacheManager manager;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private String prefix;
    Cache<String, String> cache;

    /** Fills the cache and waits until a read of a hot key is served by the near cache. */
    @Setup(Level.Trial)
    public void open() {
      prefix = RedisEndpoint.uniquePrefix("bench-near");
      manager = Caching.getCachingProvider(StepperCachingProvider.class.getName())
          .getCacheManager(RedisEndpoint.shared().uriWithPrefix(prefix),
              NearCacheBenchmark.class.getClassLoader());
      var config = new StepperConfiguration<String, String>().setValueCodec(Codecs.string())
          .setNearCache(read.equals("near") ? new NearCache(20_000, Duration.ofMinutes(5)) : null);
      config.setTypes(String.class, String.class);
      cache = manager.createCache("c", config);
      for (int i = 0; i < KEYS; i++) {
        cache.put(key(i), VALUE);
      }
      client = RedisClient.create(RedisEndpoint.shared().uri().toString());
      connection = client.connect(ByteArrayCodec.INSTANCE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!VALUE.equals(cache.get(key(0))) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }

    /** Removes what the trial wrote. */
    @TearDown(Level.Trial)
    public void close() {
      manager.destroyCache("c");
      manager.close();
      connection.close();
      client.shutdown();
    }

    byte[] redisKey(int i) {
      return (prefix + ":c:" + key(i)).getBytes(StandardCharsets.UTF_8);
    }
  }

  static String key(int i) {
    return "k" + i;
  }

  /** @return one 1 KiB value, read again and again */
  @Benchmark
  public String get(Caches caches) {
    return caches.cache.get(key(0));
  }

  /** @return the same read with Lettuce alone (the floor; the same with either cache) */
  @Benchmark
  public byte[] lettuceGet(Caches caches) {
    return caches.connection.sync().get(caches.redisKey(0));
  }

  /** @return a read of a hot key (90 %) or any key, or 1 % of the time a write */
  @Benchmark
  @Threads(8)
  public String hotKeys(Caches caches) {
    return hotKeyOperation(caches);
  }

  private static String hotKeyOperation(Caches caches) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int roll = random.nextInt(100);
    if (roll == 0) {
      caches.cache.put(key(random.nextInt(KEYS)), VALUE);
      return null;
    }
    int key = roll <= 90 ? random.nextInt(HOT) : random.nextInt(KEYS);
    return caches.cache.get(key(key));
  }

  /**
   * The lag probe's writer: a second manager on the same Redis and prefix, with connections of its
   * own, and the version it wrote last.
   */
  @State(Scope.Thread)
  public static class Probe {
    static final String KEY = "probe";
    private CacheManager manager;
    private Cache<String, String> writer;
    private long version;
    String expected;

    /** Opens the second manager (its own class loader makes it another manager). */
    @Setup(Level.Trial)
    public void open(Caches caches) {
      manager = Caching.getCachingProvider(StepperCachingProvider.class.getName())
          .getCacheManager(RedisEndpoint.shared().uriWithPrefix(caches.prefix),
              new URLClassLoader(new URL[0], NearCacheBenchmark.class.getClassLoader()));
      var config = new StepperConfiguration<String, String>().setValueCodec(Codecs.string());
      config.setTypes(String.class, String.class);
      writer = manager.createCache("c", config);
    }

    /** Writes the next version before each probe, outside the measured time. */
    @Setup(Level.Invocation)
    public void write() {
      expected = Long.toString(++version);
      writer.put(KEY, expected);
    }

    /** Closes the second manager. */
    @TearDown(Level.Trial)
    public void close() {
      manager.close();
    }
  }

  /** @return the hot-key load of {@link #hotKeys}, on 7 of the group's 8 threads */
  @Benchmark
  @Group("lag")
  @GroupThreads(7)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String lagLoad(Caches caches) {
    return hotKeyOperation(caches);
  }

  /** @return the new value, once the cache serves it: the wait is the invalidation lag */
  @Benchmark
  @Group("lag")
  @GroupThreads(1)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String lagProbe(Caches caches, Probe probe) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String seen;
    while (!probe.expected.equals(seen = caches.cache.get(Probe.KEY))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("version " + probe.expected + " not served after 10 s: "
            + seen);
      }
    }
    return seen;
  }
}

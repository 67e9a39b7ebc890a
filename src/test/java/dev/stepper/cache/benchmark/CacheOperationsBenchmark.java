package dev.stepper.cache.benchmark;

import dev.stepper.cache.StepperCachingProvider;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
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
 * What the core operations cost against Redis on loopback, one caller thread: each single-key
 * operation is one round trip, so their times should sit close to a plain {@code GET}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheOperationsBenchmark {

  private static final int BATCH = 16;

  private CacheManager manager;
  private Cache<String, String> cache;
  private Set<String> batchKeys;
  private Map<String, String> batchEntries;
  private long counter;
  private RedisClient client;
  private StatefulRedisConnection<byte[], byte[]> raw;
  private static final byte[] RAW_KEY = "raw:hot".getBytes(StandardCharsets.UTF_8);

  /** Opens a cache on the benchmark's Redis and fills the keys the reads use. */
  @Setup(Level.Trial)
  public void open() {
    RedisEndpoint redis = RedisEndpoint.shared();
    manager = Caching.getCachingProvider(StepperCachingProvider.class.getName()).getCacheManager(
        redis.uriWithUniquePrefix("bench"), getClass().getClassLoader());
    cache = manager.createCache("operations",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    batchKeys = new TreeSet<>();
    batchEntries = new HashMap<>();
    for (int i = 0; i < BATCH; i++) {
      batchKeys.add("batch:" + i);
      batchEntries.put("batch:" + i, "a commit diary of about eighty characters, as text " + i);
    }
    cache.putAll(batchEntries);
    cache.put("hot", "a commit diary of about eighty characters, as a JDK-serialized string");
    client = RedisClient.create(redis.uri().toString());
    raw = client.connect(ByteArrayCodec.INSTANCE);
    raw.sync().set(RAW_KEY, "a commit diary of about eighty characters, as raw bytes".getBytes(
        StandardCharsets.UTF_8));
  }

  /** Removes what the trial wrote. */
  @TearDown(Level.Trial)
  public void close() {
    manager.destroyCache("operations");
    manager.close();
    raw.sync().del(RAW_KEY);
    raw.close();
    client.shutdown();
  }

  /** @return a hit: one GET */
  @Benchmark
  public String get() {
    return cache.get("hot");
  }

  /** @return a miss: one GET */
  @Benchmark
  public String getMiss() {
    return cache.get("absent");
  }

  /** A put: one script that picks the creation or update TTL in Redis. */
  @Benchmark
  public void put() {
    cache.put("written", "value " + counter++);
  }

  /** @return a failed putIfAbsent: one script */
  @Benchmark
  public boolean putIfAbsentExisting() {
    return cache.putIfAbsent("hot", "other");
  }

  /** @return an entry processor that only reads: one GET */
  @Benchmark
  public Integer invokeRead() {
    return cache.invoke("hot", (entry, arguments) -> entry.getValue().length());
  }

  /** @return an entry processor that writes: GET, then a compare-and-set script */
  @Benchmark
  public String invokeUpdate() {
    return cache.invoke("counter", (entry, arguments) -> {
      int next = entry.exists() ? (Integer.parseInt(entry.getValue()) + 1) % 1000 : 0;
      entry.setValue(Integer.toString(next));
      return null;
    });
  }

  /** @return the baseline: a GET with Lettuce alone, no JCache, no codec */
  @Benchmark
  public byte[] lettuceGet() {
    return raw.sync().get(RAW_KEY);
  }

  /** @return 16 hits in one pipeline */
  @Benchmark
  public Map<String, String> getAll16() {
    return cache.getAll(batchKeys);
  }

  /** 16 puts in one pipeline. */
  @Benchmark
  public void putAll16() {
    cache.putAll(batchEntries);
  }
}

package dev.stepper.cache.benchmark;

import dev.stepper.cache.testing.RedisEndpoint;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stepper side by side with its floor, raw Lettuce doing the same work with plain commands, and
 * its peer, Redisson's JCache: a hit, a put, and {@code getAll}/{@code putAll} of 16 entries, all
 * three clients in one run ({@link ClientComparison} runs it at 1 and at 8 threads and prints the
 * ratios). Each client holds one client object shared by all benchmark threads (Stepper and
 * Lettuce: one connection, Lettuce pipelines concurrent callers on it; Redisson: its pool, up to
 * 64 connections). Each thread writes keys of its own.
 *
 * <p>On one server unless {@code -Dstepper.bench.cluster=redis://host:port} (or the environment
 * variable {@code STEPPER_BENCH_CLUSTER}) names a node of a Redis Cluster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientComparisonBenchmark {

  @Param({"stepper", "lettuce", "redisson"})
  public String client;

  private Workload work;

  /** The keys one benchmark thread writes. */
  @State(Scope.Thread)
  public static class Writes {
    private static final AtomicInteger THREADS = new AtomicInteger();
    String key;
    Map<String, String> batch;

    @Setup(Level.Trial)
    public void keys() {
      int index = THREADS.getAndIncrement();
      key = "written:" + index;
      batch = Workload.batchEntries("wbatch:" + index);
    }
  }

  /** Opens the client on a key prefix or cache name of its own and fills the keys the reads use. */
  @Setup(Level.Trial)
  public void open() {
    work = Workload.open(client, Workload.Topology.current(),
        RedisEndpoint.uniquePrefix("cmp-" + client));
  }

  /** Deletes what the trial wrote. */
  @TearDown(Level.Trial)
  public void close() {
    work.close();
  }

  /** @return a hit (Stepper: GET; Lettuce: GET) */
  @Benchmark
  public String get() {
    return work.get(Workload.HOT);
  }

  /** A put (Stepper: one EVALSHA of write.lua; Lettuce: SET). */
  @Benchmark
  public void put(Writes writes) {
    work.put(writes.key, Workload.VALUE);
  }

  /** @return 16 hits (one server: Stepper and Lettuce MGET; cluster: per slot, sent together) */
  @Benchmark
  public Map<String, String> getAll16() {
    return work.getAll(Workload.BATCH_KEYS);
  }

  /** 16 puts (one server: Stepper one EVALSHA for all, Lettuce MSET; cluster: per slot). */
  @Benchmark
  public void putAll16(Writes writes) {
    work.putAll(writes.batch);
  }
}

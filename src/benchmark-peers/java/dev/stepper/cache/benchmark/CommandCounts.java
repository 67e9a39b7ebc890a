package dev.stepper.cache.benchmark;

import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Counts the server commands each client sends per operation of {@link ClientComparisonBenchmark}:
 * for each client and operation, N calls (outside any timing; {@code -Dstepper.bench.calls},
 * default 1000) between two readings of {@code INFO commandstats} on every master; the difference
 * divided by N, and how many masters served them. Commands that scripts run ({@code redis.call})
 * are counted under their own names as well as the {@code EVALSHA} that ran them, as Redis counts
 * them; the server time is the scripts' (which includes the commands they ran), or else the
 * commands'. The counter's own {@code INFO} and the replicas' {@code REPLCONF ACK}s are left out;
 * background commands of a client (Lettuce's cluster topology refresh, Redisson's pings) would
 * show up as small fractions.
 *
 * <p>Reads deltas rather than resetting the statistics, so another client's traffic on a shared
 * server ({@code REDIS_URL}) would be counted too: measure on a server of your own (the default
 * starts one) or on a throw-away cluster.
 *
 * <p>{@code mvn -B -Pbenchmark-peers test-compile exec:exec@command-counts
 * [-Dstepper.bench.cluster=redis://127.0.0.1:7301]}
 */
public final class CommandCounts {

  static final List<String> CLIENTS = List.of("stepper", "lettuce", "redisson");
  static final List<String> OPERATIONS = List.of("get", "put", "getAll16", "putAll16");

  private CommandCounts() {}

  public static void main(String[] args) {
    print(System.out);
    System.exit(0);
  }

  /** Measures and prints a table: client, operation, commands per call, server µs, masters. */
  static void print(PrintStream out) {
    Workload.Topology topology = Workload.Topology.current();
    int calls = Integer.getInteger("stepper.bench.calls", 1000);
    out.println("# Server commands per call, " + calls + " calls each, " + topology.describe());
    out.println();
    out.println("| client | operation | commands per call (by name) | server µs per call "
        + "| masters used |");
    out.println("| --- | --- | --- | ---: | ---: |");
    try (Servers servers = new Servers(topology)) {
      for (String client : CLIENTS) {
        String name = RedisEndpoint.uniquePrefix("count-" + client);
        try (Workload work = Workload.open(client, topology, name)) {
          Map<String, String> batch = Workload.batchEntries("wbatch:0");
          Map<String, Runnable> ops = Map.of(
              "get", () -> work.get(Workload.HOT),
              "put", () -> work.put("written:0", Workload.VALUE),
              "getAll16", () -> work.getAll(Workload.BATCH_KEYS),
              "putAll16", () -> work.putAll(batch));
          for (String op : OPERATIONS) {
            Runnable call = ops.get(op);
            call.run(); // loads scripts, warms connections: not what a call costs afterwards
            List<Map<String, long[]>> before = servers.commandStats();
            for (int i = 0; i < calls; i++) {
              call.run();
            }
            List<Map<String, long[]>> after = servers.commandStats();
            out.println("| " + client + " | " + op + " | "
                + describe(sum(before), sum(after), calls)
                + " | " + mastersUsed(before, after, calls) + " of " + after.size() + " |");
          }
        }
      }
    }
    out.println();
  }

  /** Masters that ran at least one command per ten calls. */
  private static int mastersUsed(List<Map<String, long[]>> before,
      List<Map<String, long[]>> after, int calls) {
    int used = 0;
    for (int i = 0; i < after.size(); i++) {
      long n = 0;
      for (Map.Entry<String, long[]> e : after.get(i).entrySet()) {
        if (!ignored(e.getKey())) {
          n += e.getValue()[0] - before.get(i).getOrDefault(e.getKey(), new long[2])[0];
        }
      }
      used += n * 10 >= calls ? 1 : 0;
    }
    return used;
  }

  private static boolean ignored(String command) {
    return command.equals("info") || command.equals("replconf");
  }

  private static Map<String, long[]> sum(List<Map<String, long[]>> perNode) {
    Map<String, long[]> total = new TreeMap<>();
    for (Map<String, long[]> node : perNode) {
      node.forEach((name, v) -> {
        long[] t = total.computeIfAbsent(name, k -> new long[2]);
        t[0] += v[0];
        t[1] += v[1];
      });
    }
    return total;
  }

  private static String describe(Map<String, long[]> before, Map<String, long[]> after, int calls) {
    List<String> parts = new ArrayList<>();
    long usec = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      if (ignored(e.getKey())) {
        continue;
      }
      long[] b = before.getOrDefault(e.getKey(), new long[2]);
      long n = e.getValue()[0] - b[0];
      long u = e.getValue()[1] - b[1];
      if (n == 0) {
        continue;
      }
      parts.add(format((double) n / calls) + " " + e.getKey().toUpperCase());
      // a script's usec include the commands it ran: count only top-level time
      usec += isScript(e.getKey()) || !scriptRan(before, after) ? u : 0;
    }
    return String.join(", ", parts) + " | " + String.format("%.1f", (double) usec / calls);
  }

  private static boolean isScript(String command) {
    return command.startsWith("eval") || command.startsWith("fcall");
  }

  private static boolean scriptRan(Map<String, long[]> before, Map<String, long[]> after) {
    for (String command : after.keySet()) {
      long[] b = before.getOrDefault(command, new long[2]);
      if (isScript(command) && after.get(command)[0] != b[0]) {
        return true;
      }
    }
    return false;
  }

  private static String format(double perCall) {
    if (perCall == Math.rint(perCall)) {
      return Long.toString((long) perCall);
    }
    return String.format("%.3f", perCall);
  }

  /** Connections to every master, for {@code INFO commandstats}. */
  private static final class Servers implements AutoCloseable {
    private final List<Supplier<String>> infos = new ArrayList<>();
    private final List<Runnable> closers = new ArrayList<>();

    Servers(Workload.Topology topology) {
      if (topology.cluster()) {
        RedisClusterClient client = RedisClusterClient.create(topology.base());
        StatefulRedisClusterConnection<String, String> c = client.connect();
        Set<String> seen = new TreeSet<>();
        for (RedisClusterNode node : c.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && seen.add(node.getNodeId())) {
            var nodeCommands = c.getConnection(node.getNodeId()).sync();
            infos.add(() -> nodeCommands.info("commandstats"));
          }
        }
        closers.add(c::close);
        closers.add(client::shutdown);
      } else {
        RedisClient client = RedisClient.create(topology.base());
        var c = client.connect();
        var commands = c.sync();
        infos.add(() -> commands.info("commandstats"));
        closers.add(c::close);
        closers.add(client::shutdown);
      }
    }

    /** Calls and µs by command name, for each master. */
    List<Map<String, long[]>> commandStats() {
      List<Map<String, long[]>> perNode = new ArrayList<>();
      for (Supplier<String> info : infos) {
        Map<String, long[]> stats = new TreeMap<>();
        perNode.add(stats);
        for (String line : info.get().split("\r?\n")) {
          // cmdstat_get:calls=1000,usec=2000,usec_per_call=2.00,rejected_calls=0,failed_calls=0
          if (!line.startsWith("cmdstat_")) {
            continue;
          }
          String name = line.substring("cmdstat_".length(), line.indexOf(':'));
          long callCount = 0;
          long usec = 0;
          for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
            if (field.startsWith("calls=")) {
              callCount = Long.parseLong(field.substring(6));
            } else if (field.startsWith("usec=")) {
              usec = Long.parseLong(field.substring(5));
            }
          }
          long[] sum = stats.computeIfAbsent(name, k -> new long[2]);
          sum[0] += callCount;
          sum[1] += usec;
        }
      }
      return perNode;
    }

    @Override
    public void close() {
      closers.forEach(Runnable::run);
    }
  }
}

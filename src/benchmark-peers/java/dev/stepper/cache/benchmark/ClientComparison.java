package dev.stepper.cache.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One run of the client comparison: the server commands per call ({@link CommandCounts}), then
 * {@link ClientComparisonBenchmark} at 1 and at 8 threads ({@code -Dstepper.bench.threads=1,8}),
 * then a table of throughputs with the ratios Stepper/Lettuce (the floor) and Stepper/Redisson
 * (the peer). Arguments are JMH's own options, e.g. {@code -f 1 -wi 2 -w 1 -i 3 -r 2}.
 *
 * <p>{@code mvn -B -Pbenchmark-peers test-compile exec:exec@jmh-peers -Djmh.args="-f 1 -wi 2 -w 1
 * -i 3 -r 2" [-Dstepper.bench.cluster=redis://127.0.0.1:7301]}
 */
public final class ClientComparison {

  private ClientComparison() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions jmh = new CommandLineOptions(args);
    if (!Boolean.getBoolean("stepper.bench.skipCounts")) {
      CommandCounts.print(System.out);
    }
    // operation -> threads -> client -> [score, error]
    Map<String, Map<Integer, Map<String, double[]>>> scores = new LinkedHashMap<>();
    String unit = "ops/s";
    for (String t : System.getProperty("stepper.bench.threads", "1,8").split(",")) {
      int threads = Integer.parseInt(t.trim());
      Options options = new OptionsBuilder()
          .parent(jmh)
          .include(ClientComparisonBenchmark.class.getName() + "\\.")
          .threads(threads)
          .build();
      Collection<RunResult> results = new Runner(options).run();
      for (RunResult result : results) {
        String label = result.getParams().getBenchmark();
        String op = label.substring(label.lastIndexOf('.') + 1);
        String client = result.getParams().getParam("client");
        var primary = result.getPrimaryResult();
        unit = primary.getScoreUnit();
        scores.computeIfAbsent(op, k -> new LinkedHashMap<>())
            .computeIfAbsent(threads, k -> new LinkedHashMap<>())
            .put(client, new double[] {primary.getScore(), primary.getScoreError()});
      }
    }
    System.out.println();
    System.out.println("# Throughput (" + unit + ", ± JMH's 99.9% interval), "
        + Workload.Topology.current().describe());
    System.out.println();
    System.out.println("| operation | threads | Stepper | Lettuce (floor) | Redisson (peer) "
        + "| Stepper/Lettuce | Stepper/Redisson |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (var byOp : scores.entrySet()) {
      for (var byThreads : byOp.getValue().entrySet()) {
        Map<String, double[]> c = byThreads.getValue();
        List<String> cells = new ArrayList<>();
        cells.add(byOp.getKey());
        cells.add(Integer.toString(byThreads.getKey()));
        for (String client : CommandCounts.CLIENTS) {
          double[] s = c.get(client);
          cells.add(s == null ? "–" : String.format("%,.0f ± %,.0f", s[0], s[1]));
        }
        cells.add(ratio(c.get("stepper"), c.get("lettuce")));
        cells.add(ratio(c.get("stepper"), c.get("redisson")));
        System.out.println("| " + String.join(" | ", cells) + " |");
      }
    }
    System.out.println();
  }

  private static String ratio(double[] a, double[] b) {
    return a == null || b == null || b[0] == 0 ? "–" : String.format("%.2f", a[0] / b[0]);
  }
}

package dev.stepper.cache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster of three masters with a replica each, made of {@code redis-server} processes
 * on loopback and joined with {@code redis-cli --cluster create}, as an operator would. A test
 * that owns one may kill a master or move slots; the JVM-wide one ({@link #shared()}) is left
 * alone. Nodes run with {@code cluster-require-full-coverage no}, so a dead master stops only its
 * own slots. A cluster a test owns has a node timeout of one second, so a failover takes a couple
 * of seconds; the shared one has five, so that a busy machine's pauses never make a master look
 * dead to the others in the middle of a test that breaks nothing.
 */
public final class RedisCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
  private static final int NODES = 6;
  private static final long FAST_NODE_TIMEOUT_MILLIS = 1_000;
  private static final long CALM_NODE_TIMEOUT_MILLIS = 5_000;
  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(20);
  private static final long CLI_TIMEOUT_SECONDS = 60;

  private static RedisEndpoint shared;
  private static RuntimeException sharedFailure;

  private final Path cli;
  private final List<RedisServerProcess> nodes = new ArrayList<>();
  private final List<Integer> tlsPorts = new ArrayList<>();

  private RedisCluster(Path cli) {
    this.cli = cli;
  }

  /** Whether {@code redis-server} and {@code redis-cli} are on {@code PATH}. */
  public static boolean isAvailable() {
    return RedisServerProcess.isAvailable() && findCli().isPresent();
  }

  /**
   * The JVM-wide cluster: {@code REDIS_CLUSTER_URL} if set (its seed nodes, a cluster we do not
   * own), else one started from {@code PATH} on first use; a failure is remembered and rethrown.
   *
   * @return its endpoint, whose URI lists every node as a seed
   */
  public static synchronized RedisEndpoint shared() {
    UnitRun.refuseRedis("The shared Redis Cluster was asked for");
    if (shared == null && sharedFailure == null) {
      try {
        String url = System.getenv("REDIS_CLUSTER_URL");
        shared = url != null && !url.isBlank()
            ? RedisEndpoint.of(RedisEndpoint.Source.REDIS_CLUSTER_URL, URI.create(url.trim()))
            : start(Optional.empty(), CALM_NODE_TIMEOUT_MILLIS).endpoint();
        LOG.info("Redis Cluster: {}", shared.describe());
      } catch (RuntimeException e) {
        sharedFailure = e;
      }
    }
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    return shared;
  }

  /**
   * Starts six nodes, joins them into three masters with a replica each, and waits until all is
   * ok; a dead master's replica takes over in a couple of seconds.
   */
  public static RedisCluster start() {
    return start(Optional.empty(), FAST_NODE_TIMEOUT_MILLIS);
  }

  /**
   * As {@link #start()}, with every node also serving TLS, and speaking TLS to the others (cluster
   * bus and replication), so that TLS clients are told TLS ports. The plain ports stay open for
   * {@code redis-cli}.
   *
   * @param certificates a directory with {@code server.crt}, {@code server.key} and {@code ca.crt}
   */
  public static RedisCluster startWithTls(Path certificates) {
    return start(Optional.of(certificates), CALM_NODE_TIMEOUT_MILLIS);
  }

  private static RedisCluster start(Optional<Path> certificates, long nodeTimeoutMillis) {
    Path cli = findCli().orElseThrow(() -> new IllegalStateException(
        "No Redis Cluster for the tests: set REDIS_CLUSTER_URL (e.g. redis://host1:7000,host2:7001)"
            + " or put redis-server and redis-cli on PATH (e.g. apt-get install redis-server)"));
    var cluster = new RedisCluster(cli);
    try {
      for (int i = 0; i < NODES; i++) {
        List<String> options = new ArrayList<>(List.of(
            "--cluster-enabled", "yes",
            // The bus port must be given: port + 10000 may not exist for an ephemeral port.
            "--cluster-port", Integer.toString(RedisServerProcess.freePort()),
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", Long.toString(nodeTimeoutMillis),
            "--cluster-require-full-coverage", "no"));
        if (certificates.isPresent()) {
          int tlsPort = RedisServerProcess.freePort();
          cluster.tlsPorts.add(tlsPort);
          Path dir = certificates.get();
          options.addAll(List.of("--tls-port", Integer.toString(tlsPort),
              "--tls-cluster", "yes", "--tls-replication", "yes",
              "--tls-cert-file", dir.resolve("server.crt").toString(),
              "--tls-key-file", dir.resolve("server.key").toString(),
              "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
              "--tls-auth-clients", "no"));
        }
        cluster.nodes.add(RedisServerProcess.start(options));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      cluster.nodes.forEach(node -> create.add(node.host() + ":" + node.port()));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      cluster.cli(create);
      cluster.awaitHealthy(FORM_TIMEOUT);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code rediss://h:p1,h:p2,…} of the TLS ports, for a cluster started with TLS. */
  public URI tlsUri() {
    if (tlsPorts.isEmpty()) {
      throw new IllegalStateException("this cluster was started without TLS");
    }
    return URI.create("rediss://" + tlsPorts.stream().map(port -> nodes.get(0).host() + ":" + port)
        .collect(Collectors.joining(",")));
  }

  /** An endpoint whose URI names every node as a seed, as {@code redis://h:p1,h:p2,…}. */
  public RedisEndpoint endpoint() {
    return RedisEndpoint.of(RedisEndpoint.Source.REDIS_SERVER_PROCESS, URI.create("redis://"
        + nodes.stream().map(node -> node.host() + ":" + node.port()).collect(Collectors.joining(","))));
  }

  /** Every node, masters and replicas, in the order they were started. */
  public List<RedisServerProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes that are masters right now, as the first running node sees it. */
  public List<RedisServerProcess> masters() {
    List<String> lines = clusterNodes();
    return nodes.stream().filter(RedisServerProcess::isRunning).filter(node -> lines.stream()
        .anyMatch(line -> line.contains(" " + node.host() + ":" + node.port() + "@")
            && line.contains("master") && !line.contains("fail")))
        .toList();
  }

  /** The node id of a node. */
  public String id(RedisServerProcess node) {
    return cli(node, "cluster", "myid").trim();
  }

  /** How many keys a node holds, in all. */
  public long keyCount(RedisServerProcess node) {
    return Long.parseLong(cli(node, "dbsize").trim());
  }

  /**
   * @param node a node of this cluster
   * @param cacheName a plain cache (no generation jobs, whose queue shares the pattern) with
   *     string keys
   * @return the keys (as given to the cache) of that cache's entries on the node
   */
  public List<String> cacheKeysOn(RedisServerProcess node, String cacheName) {
    return cli(node, "--scan", "--pattern", "*:" + cacheName + ":*").lines()
        .map(redisKey -> redisKey.substring(redisKey.lastIndexOf(':') + 1)).toList();
  }

  /** Moves slots from one master to another with {@code redis-cli --cluster reshard}, keys included. */
  public void reshard(RedisServerProcess from, RedisServerProcess to, int slots) {
    // redis-cli refuses to reshard until every node agrees on the slots, which takes a moment
    // after an earlier move.
    Await.success(FORM_TIMEOUT, () -> cli(List.of("--cluster", "check",
        from.host() + ":" + from.port())));
    cli(List.of("--cluster", "reshard", from.host() + ":" + from.port(),
        "--cluster-from", id(from), "--cluster-to", id(to),
        "--cluster-slots", Integer.toString(slots), "--cluster-yes"));
  }

  /**
   * Waits until every running node reports the cluster ok with all slots served, and every
   * running replica is in sync with its master.
   */
  public void awaitHealthy(Duration timeout) {
    Await.success(timeout, () -> {
      String why = unhealthy();
      if (!why.isEmpty()) {
        throw new IllegalStateException("Redis Cluster not healthy: " + why);
      }
      return null;
    });
  }

  /** Why the cluster is not healthy, or empty when it is. */
  private String unhealthy() {
    for (RedisServerProcess node : nodes) {
      if (!node.isRunning()) {
        continue;
      }
      String info = cli(node, "cluster", "info");
      if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
        return node + ": " + info.lines().limit(4).collect(Collectors.joining(" "));
      }
      String replication = cli(node, "info", "replication");
      if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
        return node + " is a replica not in sync with its master";
      }
    }
    return "";
  }

  private List<String> clusterNodes() {
    RedisServerProcess any = nodes.stream().filter(RedisServerProcess::isRunning).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
    return cli(any, "cluster", "nodes").lines().toList();
  }

  /** Runs {@code redis-cli} against one node and returns what it printed. */
  public String cli(RedisServerProcess node, String... args) {
    List<String> command = new ArrayList<>(List.of("-h", node.host(), "-p", Integer.toString(node.port())));
    command.addAll(List.of(args));
    return cli(command);
  }

  private String cli(List<String> args) {
    List<String> command = new ArrayList<>(List.of(cli.toString()));
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      // Read before waiting: a command with much output would otherwise fill the pipe and stall.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(CLI_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0
          || output.startsWith("ERR") || output.contains("[ERR]")) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cli, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  private static Optional<Path> findCli() {
    return RedisServerProcess.findOnPath(System.getenv("PATH"))
        .map(server -> server.resolveSibling("redis-cli"))
        .filter(path -> path.toFile().canExecute());
  }

  /** Stops every node. */
  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::close);
  }

  @Override
  public String toString() {
    return "Redis Cluster of " + nodes;
  }
}

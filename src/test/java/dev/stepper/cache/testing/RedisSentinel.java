package dev.stepper.cache.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A private Redis Sentinel deployment on 127.0.0.1: one master, one replica of it and three
 * Sentinels that watch it as {@value #MASTER_NAME} with a quorum of two, tuned to fail over within
 * seconds rather than minutes, for tests that kill the master or make the Sentinels fail over.
 * Closing it kills every process.
 *
 * <p>It talks to the servers over plain sockets rather than Lettuce, so that the only Lettuce
 * threads in a test are the provider's.
 */
public final class RedisSentinel implements AutoCloseable {

  /** The name the Sentinels know the master by. */
  public static final String MASTER_NAME = "stepper";
  /** A Sentinel deployment of the environment's, for tests that need no more than a master. */
  public static final String URL_VARIABLE = "REDIS_SENTINEL_URL";

  private static final String HOST = "127.0.0.1";
  private static final int QUORUM = 2;
  private static final int SENTINELS = 3;
  /** How long a master may not answer before a Sentinel thinks it down: short, for quick tests. */
  private static final int DOWN_AFTER_MILLIS = 1_000;
  /** Also the pause before a Sentinel retries a failover that another one started and lost. */
  private static final int FAILOVER_TIMEOUT_MILLIS = 3_000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final int SOCKET_TIMEOUT_MILLIS = 1_000;
  private static final long POLL_MILLIS = 20;

  private final List<RedisServerProcess> dataNodes = new ArrayList<>();
  private final List<RedisServerProcess> sentinels = new ArrayList<>();

  private RedisSentinel() {}

  /** Whether this machine can run one: a {@code redis-server} on {@code PATH}. */
  public static boolean isAvailable() {
    return RedisServerProcess.isAvailable();
  }

  /**
   * @return {@value #URL_VARIABLE}, a {@code redis-sentinel://} URI of the environment's, if set;
   *     tests that kill processes start their own deployment instead
   */
  public static Optional<URI> fromEnvironment() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url.trim()));
  }

  /**
   * Starts the master, the replica and the Sentinels, and returns once every Sentinel sees the
   * master up, its replica and the two other Sentinels: only then can they fail over.
   */
  public static RedisSentinel start() {
    var deployment = new RedisSentinel();
    try {
      deployment.launch();
      return deployment;
    } catch (RuntimeException | Error e) {
      deployment.close();
      throw e;
    }
  }

  private void launch() {
    RedisServerProcess master = RedisServerProcess.start(List.of(
        // a master waits 5 s for more replicas before a diskless sync by default
        "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"));
    dataNodes.add(master);
    dataNodes.add(RedisServerProcess.start(List.of(
        "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0",
        "--replicaof", HOST, Integer.toString(master.port()))));
    awaitCondition("the replica to sync with the master", () ->
        info(dataNodes.get(1).port(), "replication").contains("master_link_status:up"));
    for (int i = 0; i < SENTINELS; i++) {
      RedisServerProcess sentinel = RedisServerProcess.start(List.of("--sentinel"));
      sentinels.add(sentinel);
      command(sentinel.port(), "SENTINEL", "MONITOR", MASTER_NAME, HOST,
          Integer.toString(master.port()), Integer.toString(QUORUM));
      command(sentinel.port(), "SENTINEL", "SET", MASTER_NAME,
          "down-after-milliseconds", Integer.toString(DOWN_AFTER_MILLIS),
          "failover-timeout", Integer.toString(FAILOVER_TIMEOUT_MILLIS),
          "parallel-syncs", "1");
    }
    // A Sentinel learns of the replica from the master's INFO, and of the others from their
    // hello messages (every 2 s) on the master and the replica.
    Pattern ready = Pattern.compile("master0:name=" + MASTER_NAME + ",status=ok,address="
        + HOST + ":" + master.port() + ",slaves=1,sentinels=" + SENTINELS);
    awaitCondition("every Sentinel to see the master, the replica and the other Sentinels",
        () -> sentinels.stream().allMatch(s -> ready.matcher(info(s.port(), "sentinel")).find()));
  }

  /** {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3?sentinelMasterId=stepper}. */
  public URI uri() {
    return URI.create("redis-sentinel://" + sentinels.stream()
        .map(s -> HOST + ":" + s.port()).collect(Collectors.joining(","))
        + "?sentinelMasterId=" + MASTER_NAME);
  }

  /** The Sentinel processes. */
  public List<RedisServerProcess> sentinels() {
    return List.copyOf(sentinels);
  }

  /** The port of the master that the first Sentinel that answers names. */
  public int masterPort() {
    for (RedisServerProcess sentinel : sentinels) {
      Optional<Integer> port = namedMaster(sentinel);
      if (port.isPresent()) {
        return port.get();
      }
    }
    throw new IllegalStateException("no Sentinel names a master");
  }

  /** The process of the master the Sentinels name now: {@link RedisServerProcess#stop()} kills it. */
  public RedisServerProcess master() {
    return dataNode(masterPort());
  }

  /** {@code SENTINEL FAILOVER}: a Sentinel promotes the replica without asking the others. */
  public void failover() {
    command(sentinels.get(0).port(), "SENTINEL", "FAILOVER", MASTER_NAME);
  }

  /** A master that the Sentinels elected, and when a Sentinel was first seen naming it. */
  public record Election(RedisServerProcess master, long namedAtNanos) {}

  /**
   * Waits until every Sentinel names a master other than the one on {@code previousPort} and that
   * server says it is a master.
   *
   * @param previousPort the port of the master before the failover
   * @param timeout how long to wait at most
   * @return the new master, and the {@link System#nanoTime()} at which a Sentinel first named it
   */
  public Election awaitNewMaster(int previousPort, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long firstNamed = 0;
    String last = "";
    while (System.nanoTime() - deadline < 0) {
      List<Optional<Integer>> named = sentinels.stream().map(this::namedMaster).toList();
      last = named.toString();
      if (firstNamed == 0 && named.stream().anyMatch(p -> p.isPresent() && p.get() != previousPort)) {
        firstNamed = System.nanoTime();
      }
      Optional<Integer> agreed = named.get(0);
      if (agreed.isPresent() && agreed.get() != previousPort
          && named.stream().allMatch(agreed::equals)
          && info(agreed.get(), "replication").contains("role:master")) {
        return new Election(dataNode(agreed.get()), firstNamed);
      }
      pause();
    }
    throw new IllegalStateException("the Sentinels did not elect a master other than " + HOST
        + ":" + previousPort + " within " + timeout.toMillis() + " ms; they name " + last);
  }

  private Optional<Integer> namedMaster(RedisServerProcess sentinel) {
    try {
      Object reply = command(sentinel.port(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
      return reply instanceof List<?> address && address.size() == 2
          ? Optional.of(Integer.parseInt(String.valueOf(address.get(1)))) : Optional.empty();
    } catch (RuntimeException unreachable) {
      return Optional.empty();
    }
  }

  private RedisServerProcess dataNode(int port) {
    return dataNodes.stream().filter(node -> node.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("no server of this deployment on " + port));
  }

  /** Kills every process and deletes their directories. */
  @Override
  public void close() {
    RuntimeException failure = null;
    List<RedisServerProcess> all = new ArrayList<>(sentinels);
    all.addAll(dataNodes);
    for (RedisServerProcess process : all) {
      try {
        process.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "Sentinel deployment " + uri() + " over " + dataNodes;
  }

  private static String info(int port, String section) {
    try {
      return String.valueOf(command(port, "INFO", section));
    } catch (RuntimeException unreachable) {
      return "";
    }
  }

  private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("gave up after " + READY_TIMEOUT.toSeconds()
            + " s waiting for " + what);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Sentinel", e);
    }
  }

  /**
   * Sends one command on a connection of its own and reads the reply: a String, Long, List or
   * {@code null}; an error reply throws.
   */
  static Object command(int port, String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), SOCKET_TIMEOUT_MILLIS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      var request = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
            .append(word).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return reply(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", words) + " on " + HOST + ":" + port, e);
    }
  }

  private static Object reply(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        line(in);
        return text;
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(reply(in));
        }
        return items;
      }
      default:
        throw new IOException("not a RESP2 reply: " + (char) type + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    var text = new StringBuilder();
    for (int c = in.read(); c != '\r'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-reply");
      }
      text.append((char) c);
    }
    in.read(); // '\n'
    return text.toString();
  }
}

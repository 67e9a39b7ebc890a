package dev.stepper.cache.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away {@code redis-server} on 127.0.0.1 that a test owns: it can be stopped (killed) to
 * simulate an outage and restarted on the same port. Nothing is persisted, so a restart comes
 * back empty. Killed at JVM exit if nobody closed it.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final String BINARY = "redis-server";
  private static final long START_TIMEOUT_MILLIS = 10_000;
  private static final long STOP_TIMEOUT_MILLIS = 5_000;
  private static final int PING_TIMEOUT_MILLIS = 500;
  private static final int FREE_PORT_ATTEMPTS = 3;
  private static final int OUTPUT_TAIL_CHARS = 4_000;
  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Path binary;
  private final int port;
  private final List<String> options;
  private final Path dir;
  private final Path output;
  private final Thread shutdownHook;
  // Volatile so the shutdown hook can read it without taking the lock a stuck caller may hold.
  private volatile Process process;
  private boolean closed;

  private RedisServerProcess(Path binary, int port, List<String> options) {
    this.binary = binary;
    this.port = port;
    this.options = List.copyOf(options);
    try {
      this.dir = Files.createTempDirectory("stepper-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for redis-server", e);
    }
    this.output = dir.resolve("redis-server.log");
    this.shutdownHook = new Thread(this::killAndClean, "redis-server-" + port + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Whether a {@code redis-server} binary is on {@code PATH}, for tests that must skip without one. */
  public static boolean isAvailable() {
    return findOnPath(System.getenv("PATH")).isPresent();
  }

  /** Starts {@code redis-server} from {@code PATH} on a free port and waits until it answers PING. */
  public static RedisServerProcess start() {
    return start(requireBinary());
  }

  /** Starts {@code redis-server} from {@code PATH} on the given port and waits until it answers PING. */
  public static RedisServerProcess start(int port) {
    return start(requireBinary(), port, List.of());
  }

  /**
   * Starts {@code redis-server} from {@code PATH} on a free port with more options, such as
   * {@code --cluster-enabled yes} or {@code --sentinel}, and waits until it answers PING.
   *
   * @param options further command-line options, each word an element
   */
  public static RedisServerProcess start(List<String> options) {
    return start(requireBinary(), options);
  }

  static RedisServerProcess start(Path binary) {
    return start(binary, List.of());
  }

  private static RedisServerProcess start(Path binary, List<String> options) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
      try {
        return start(binary, freePort(), options);
      } catch (IllegalStateException e) {
        // Another process may grab the port between our probe and redis' bind; only that is worth a retry.
        String message = e.getMessage();
        if (message == null || !message.contains("Address already in use")) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  static RedisServerProcess start(Path binary, int port, List<String> options) {
    RedisServerProcess server = new RedisServerProcess(binary, port, options);
    try {
      server.launch();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The executable {@code redis-server} in the first {@code PATH} entry that has one. */
  static Optional<Path> findOnPath(String path) {
    if (path == null || path.isBlank()) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .flatMap(entry -> Stream.of(BINARY, BINARY + ".exe").map(name -> safeResolve(entry, name)))
        .flatMap(Optional::stream)
        .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
        .findFirst();
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** The directory the server runs in, for the configuration files that some modes write. */
  public Path dir() {
    return dir;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public URI uri() {
    try {
      return new URI("redis", null, HOST, port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public RedisEndpoint endpoint() {
    return RedisEndpoint.of(RedisEndpoint.Source.REDIS_SERVER_PROCESS, uri());
  }

  /** Whether the server answers PING right now (gives up after about half a second). */
  public boolean ping() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), PING_TIMEOUT_MILLIS);
      socket.setSoTimeout(PING_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = socket.getInputStream();
      return Arrays.equals(PONG, in.readNBytes(PONG.length));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the process is alive (it may not be answering yet). */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Kills the server abruptly, as a crash or network outage would, and waits until it has exited. */
  public synchronized void stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("redis-server on port " + port + " did not exit after kill");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping redis-server on port " + port, e);
    }
  }

  /** Stops the server if running and starts a fresh, empty one on the same port. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("redis-server on port " + port + " is closed");
    }
    stop();
    launch();
  }

  /** Stops the server and deletes its temp directory; further calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; it does the same clean-up.
    }
    deleteDir();
  }

  @Override
  public String toString() {
    return "redis-server on " + HOST + ":" + port + (isRunning() ? "" : " (stopped)");
  }

  private void launch() {
    UnitRun.refuseRedis("redis-server was about to start");
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    if (options.contains("--sentinel")) {
      // A Sentinel insists on a configuration file of its own that it can rewrite.
      Path config = dir.resolve("sentinel.conf");
      try {
        if (!Files.exists(config)) {
          Files.writeString(config, "");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + config, e);
      }
      command.add(config.toString());
    }
    command.addAll(List.of(
        "--port", Integer.toString(port),
        "--bind", HOST,
        "--save", "",
        "--appendonly", "no",
        "--dir", dir.toString()));
    command.addAll(options);
    Process p;
    try {
      p = new ProcessBuilder(command)
          .redirectErrorStream(true)
          // A file, not a pipe: nobody drains a pipe, and a full one would block redis.
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    }
    process = p;
    awaitPing(p);
  }

  private void awaitPing(Process p) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        process = null;
        throw failure("exited with code " + p.exitValue() + " before answering PING");
      }
      if (ping()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("interrupted while waiting for redis-server on port " + port, e);
      }
    }
    stop();
    throw failure("did not answer PING within " + START_TIMEOUT_MILLIS / 1000 + " s");
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(binary + " on " + HOST + ":" + port + " " + what
        + "; its output:\n" + outputTail());
  }

  private String outputTail() {
    try {
      String text = Files.readString(output, StandardCharsets.UTF_8);
      return text.length() <= OUTPUT_TAIL_CHARS ? text : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private void killAndClean() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteDir();
  }

  private void deleteDir() {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover empty temp directory harms nobody.
    }
  }

  private static Path requireBinary() {
    return findOnPath(System.getenv("PATH")).orElseThrow(() -> new IllegalStateException(
        "redis-server is not on PATH; install it (e.g. apt-get install redis-server)"));
  }

  private static Optional<Path> safeResolve(String dir, String name) {
    try {
      return Optional.of(Path.of(dir, name));
    } catch (RuntimeException invalidPathEntry) {
      return Optional.empty();
    }
  }

  /** A port on 127.0.0.1 free right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }
}

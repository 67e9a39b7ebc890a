package dev.stepper.examples.diary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, started as its own JVM with a {@code REDIS_URL} where no usable Redis is, stops at
 * once with a non-zero status and a message that names the address and says it is not connected,
 * instead of printing its banner or hanging: someone who mistypes the URL, or whose Redis is down,
 * must learn it in seconds from the first command of the README. Two ways Redis can be missing:
 * nothing listens on the port (connection refused), and something accepts but never answers (a
 * blackhole, where only the provider's connect timeout can end the wait). It needs no real Redis.
 */
class DemoFailsFastTest {

  /** Far above what either case takes (seconds): only a hang gets near it. */
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String BANNER = "Stepper Cache: the commit-diary demo";

  @TempDir
  Path temp;

  @Test
  void exitsNamingTheAddressWhenNothingListensThere() throws Exception {
    int port;
    // Bound then closed: a loopback port that was free a moment ago and that nobody listens on.
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    Run run = runDemo(port);

    System.out.println("Redis refusing connections: the demo exited with status "
        + run.exitStatus() + " after " + run.seconds() + " s: " + run.failureLine(port));
    assertFailedFast(run, port);
  }

  @Test
  void exitsWhenRedisAcceptsConnectionsButNeverAnswers() throws Exception {
    ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    // Holds every connection open and reads nothing, so the demo waits for an answer that never
    // comes, as with a hung Redis or a firewall that drops packets.
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          accepted.add(blackhole.accept());
        }
      } catch (IOException closed) {
        // The test closed the server socket: nothing more to accept.
      }
    }, "blackhole-redis");
    acceptor.setDaemon(true);
    acceptor.start();
    try {
      Run run = runDemo(blackhole.getLocalPort());

      System.out.println("Redis accepting but never answering: the demo exited with status "
          + run.exitStatus() + " after " + run.seconds() + " s: "
          + run.failureLine(blackhole.getLocalPort()));
      assertFailedFast(run, blackhole.getLocalPort());
    } finally {
      blackhole.close();
      // Joined first, so that no connection is accepted after the ones below are closed.
      acceptor.join();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  private static void assertFailedFast(Run run, int port) {
    assertNotEquals(0, run.exitStatus(), "exit status; output:\n" + run.output());
    // The provider's own words, with the address: not the INFO line that merely names the URL.
    assertTrue(run.output().contains("Redis at 127.0.0.1:" + port + " is not connected"),
        "no 'Redis at 127.0.0.1:" + port + " is not connected' in:\n" + run.output());
    assertTrue(run.output().contains("check that Redis runs there"), run::output);
    assertFalse(run.output().contains(BANNER), "the banner was printed:\n" + run.output());
  }

  /** Runs the demo's main class in a new JVM against Redis at 127.0.0.1:{@code redisPort}. */
  private Run runDemo(int redisPort) throws IOException, InterruptedException {
    // A file, not a pipe: nothing has to drain the output while the demo runs.
    Path log = temp.resolve("demo-" + redisPort + ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Port 0: should the demo get as far as serving, it must not take someone's 8080.
        "-D" + DemoSettings.PORT + "=0",
        "-cp", System.getProperty("java.class.path"),
        CommitDiaryDemo.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("REDIS_URL", "redis://127.0.0.1:" + redisPort);

    long start = System.nanoTime();
    Process demo = builder.start();
    boolean exited = false;
    try {
      exited = demo.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (!exited) {
        demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String output = Files.readString(log);
    if (!exited) {
      fail("the demo hung: still running after " + DEADLINE.toSeconds() + " s with Redis at"
          + " 127.0.0.1:" + redisPort + " unusable, so it was killed; its output:\n" + output);
    }
    return new Run(demo.exitValue(), elapsed, output);
  }

  private record Run(int exitStatus, Duration elapsed, String output) {

    String seconds() {
      return String.format(Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0);
    }

    /** The first line that says why, for the log; the assertions read the whole output. */
    String failureLine(int port) {
      return output.lines().filter(line -> line.contains(":" + port + " is not connected"))
          .findFirst().orElse("(no line says it is not connected)");
    }
  }
}

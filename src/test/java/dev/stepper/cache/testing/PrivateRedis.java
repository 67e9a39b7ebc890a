package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code redis-server} of the test's own and a {@link RawRedis} connection to it, for what the
 * shared test server must not be used for: seeing every key or command on the server, changing
 * its users and passwords, pausing or killing it. Without a {@code redis-server} on {@code PATH}
 * the tests that need one are skipped, saying why. Closing it closes the connection and kills the
 * server.
 *
 * <p>A server for a whole test class is a static field registered with
 * {@code @RegisterExtension}, which starts it before the class's tests and closes it after them; a
 * server for one test comes from {@link #start(String)}, and the test closes it.
 */
public final class PrivateRedis implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  private final String why;
  private RedisServerProcess server;
  private RawRedis raw;

  /** @param why what the tests need a server of their own for, reported when they are skipped */
  public PrivateRedis(String why) {
    this.why = why;
  }

  /**
   * Starts a server for one test on a free port.
   *
   * @param why what the test needs a server of its own for, reported when it is skipped
   */
  public static PrivateRedis start(String why) {
    var redis = new PrivateRedis(why);
    redis.startServer();
    return redis;
  }

  /**
   * A port on 127.0.0.1 that nothing listens on, at least right now: to be refused a connection
   * at, or to start a server on.
   */
  public static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startServer();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private synchronized void startServer() {
    assumeTrue(RedisServerProcess.isAvailable(), why);
    server = RedisServerProcess.start();
  }

  public synchronized RedisServerProcess server() {
    return server;
  }

  public RedisEndpoint endpoint() {
    return server().endpoint();
  }

  /**
   * The connection is made on first use: a test that stops the server and never calls this has no
   * client reconnecting behind its back.
   */
  public synchronized RawRedis raw() {
    if (raw == null) {
      raw = new RawRedis(server.uri());
    }
    return raw;
  }

  @Override
  public synchronized void close() {
    try {
      if (raw != null) {
        raw.close();
      }
    } finally {
      raw = null;
      if (server != null) {
        server.close();
        server = null;
      }
    }
  }
}

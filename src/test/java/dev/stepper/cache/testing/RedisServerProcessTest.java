package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Starts, kills and restarts real redis-server processes. */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
class RedisServerProcessTest {

  @BeforeEach
  void needsRedisServer() {
    assumeTrue(RedisServerProcess.isAvailable(), "redis-server is not on PATH");
  }

  @Test
  void answersPingOnItsOwnPort() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      assertTrue(server.isRunning());
      assertTrue(server.ping());
      assertEquals(URI.create("redis://127.0.0.1:" + server.port()), server.uri());
      assertEquals(server.port(), server.endpoint().port());
      assertFalse(server.endpoint().isShared());
    }
  }

  @Test
  void stopMakesPingFailAndRestartBringsItBackOnTheSamePort() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      int port = server.port();
      server.stop();
      assertFalse(server.isRunning());
      Await.until(Duration.ofSeconds(2), "no answer to PING after stop()", () -> !server.ping());

      server.restart();
      assertEquals(port, server.port());
      assertTrue(server.isRunning());
      assertTrue(server.ping());
    }
  }

  @Test
  void closeStopsTheServerForGood() {
    RedisServerProcess server = RedisServerProcess.start();
    server.close();
    assertFalse(server.isRunning());
    assertFalse(server.ping());
    assertThrows(IllegalStateException.class, server::restart);
    server.close();
  }

  @Test
  void aTakenPortFailsWithRedisOutputInTheMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> RedisServerProcess.start(taken.getLocalPort()).close());
      assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
      assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
    }
  }
}

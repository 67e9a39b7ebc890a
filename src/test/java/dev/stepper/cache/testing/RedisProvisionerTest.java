package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice of Redis source, driven by a fake environment so every branch is reachable here. */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
class RedisProvisionerTest {

  @TempDir
  Path tmp;

  private RedisProvisioner provisioner(Map<String, String> env) {
    return new RedisProvisioner(env, List.of(tmp.resolve("no-docker.sock")));
  }

  @Test
  void redisUrlIsUsedAsIsWithoutStartingAnything() throws Exception {
    String url = "rediss://alice:s3cret@cache.example.invalid:6390/3?timeout=5s";
    RedisProvisioner.Provisioned p = provisioner(Map.of("REDIS_URL", url, "PATH", "")).provision();
    p.resource().close();
    assertEquals(URI.create(url), p.endpoint().uri());
    assertEquals(RedisEndpoint.Source.REDIS_URL, p.endpoint().source());
    assertTrue(p.endpoint().isShared());
    assertFalse(p.endpoint().describe().contains("s3cret"), p.endpoint().describe());
  }

  @Test
  void anInvalidRedisUrlFailsWithoutRevealingThePassword() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> provisioner(Map.of("REDIS_URL", "redis://alice:s3cret@bad host:1")).provision());
    assertTrue(e.getMessage().contains("REDIS_URL"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void withNoSourceTheMessageNamesAllThreeWaysToGetRedis() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> provisioner(Map.of("PATH", tmp.toString())).provision());
    String message = e.getMessage();
    assertTrue(message.contains("set REDIS_URL"), message);
    assertTrue(message.contains("Docker") && message.contains("Testcontainers"), message);
    assertTrue(message.contains("redis-server on PATH"), message);
  }

  @Test
  void dockerIsOnlyConsideredWithDockerHostOrASocket() throws IOException {
    assertFalse(provisioner(Map.of()).dockerMightExist());
    assertFalse(provisioner(Map.of("DOCKER_HOST", " ")).dockerMightExist());
    assertTrue(provisioner(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).dockerMightExist());
    Path socket = Files.createFile(tmp.resolve("docker.sock"));
    assertTrue(new RedisProvisioner(Map.of(), List.of(tmp.resolve("missing"), socket)).dockerMightExist());
  }

  @Test
  void pathSearchFindsOnlyExecutables() throws IOException {
    Path plain = Files.createDirectory(tmp.resolve("plain"));
    Path exec = Files.createDirectory(tmp.resolve("exec"));
    Files.createFile(plain.resolve("redis-server"));
    Path binary = Files.createFile(exec.resolve("redis-server"));
    assumeTrue(binary.toFile().setExecutable(true), "cannot mark files executable here");

    String path = String.join(File.pathSeparator, "", plain.toString(), exec.toString());
    assertEquals(Optional.of(binary), RedisServerProcess.findOnPath(path));
    assertEquals(Optional.empty(), RedisServerProcess.findOnPath(plain.toString()));
    assertEquals(Optional.empty(), RedisServerProcess.findOnPath(null));
  }

  @Test
  void withoutRedisUrlOrDockerARedisServerProcessIsStarted() throws Exception {
    Optional<Path> binary = RedisServerProcess.findOnPath(System.getenv("PATH"));
    assumeTrue(binary.isPresent(), "redis-server is not on PATH");
    RedisProvisioner.Provisioned p =
        provisioner(Map.of("PATH", binary.get().getParent().toString())).provision();
    try {
      assertEquals(RedisEndpoint.Source.REDIS_SERVER_PROCESS, p.endpoint().source());
      assertEquals("127.0.0.1", p.endpoint().host());
      assertTrue(((RedisServerProcess) p.resource()).ping());
    } finally {
      p.resource().close();
    }
    assertFalse(((RedisServerProcess) p.resource()).ping());
  }

  @Test
  void theSharedEndpointIsDecidedOnce() {
    assertSame(RedisProvisioner.shared(), RedisProvisioner.shared());
  }
}

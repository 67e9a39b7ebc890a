package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves {@code ?waitForReplicas=1}: a write returns once a replica has it, and while no replica
 * does it fails within the timeout, saying that a failover could lose it. A private master and a
 * private replica of it ({@code REPLICAOF}).
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class WaitForReplicasTest {

  @RegisterExtension
  static final PrivateRedis MASTER = new PrivateRedis(
      "redis-server is not on PATH: this test needs a master and a replica of its own");
  @RegisterExtension
  static final PrivateRedis REPLICA = new PrivateRedis(
      "redis-server is not on PATH: this test needs a master and a replica of its own");

  /**
   * Replicas may take a few hundred milliseconds to acknowledge on a busy 2-core machine (seen
   * once in ten runs with 500 ms), so the writes get 1.5 s of the timeout to be acknowledged.
   */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final ManagerFixture fixture = new ManagerFixture();
  private Cache<String, String> cache;

  @BeforeEach
  void replicate() {
    // a master waits 5 s for more replicas before a diskless sync by default
    MASTER.raw().commands().configSet("repl-diskless-sync-delay", "0");
    REPLICA.raw().commands().replicaof(MASTER.server().host(), MASTER.server().port());
    // After a (re)sync the master may count the replica for WAIT only a moment later (it streams
    // writes and asks for acknowledgements once the replica has sent its first, once a second):
    // until then WAIT rightly counts 0 replicas. Wait until it counts this one.
    Await.until(Duration.ofSeconds(10), "the replica to acknowledge writes", () -> {
      MASTER.raw().set("probe-" + System.nanoTime(), RawRedis.utf8("synced"));
      return MASTER.raw().commands().waitForReplication(1, 100) >= 1;
    });
    cache = fixture.managerOnPrivateServer(URI.create(MASTER.endpoint().uriWithUniquePrefix("acks")
        + "&waitForReplicas=1&timeout=" + TIMEOUT.toMillis() + "ms"))
        .createCache("acked", StringCaches.config());
  }

  @AfterEach
  void close() {
    fixture.close();
    if (!REPLICA.server().isRunning()) {
      REPLICA.server().restart();
    }
    Await.success(Duration.ofSeconds(10), () -> REPLICA.raw().commands().replicaofNoOne());
  }

  @Test
  void whileTheReplicaKeepsUpWritesReturnAndTheReplicaHasThem() {
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, "v" + i);
      assertNotNull(REPLICA.raw().keys("*:acked:k" + i).stream().findFirst().orElse(null),
          "k" + i + " is not on the replica yet");
    }
    cache.putAll(Map.of("a", "1", "b", "2"));
    assertEquals(2, REPLICA.raw().keys("*:acked:[ab]").size());
  }

  @Test
  void withoutAReplicaAWriteFailsInTimeSayingAFailoverCouldLoseIt() {
    REPLICA.server().stop();
    long start = System.nanoTime();
    CacheException e = assertThrows(CacheException.class, () -> cache.put("lonely", "v"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(e.getMessage().contains("only 0 of 1 replicas had it within "), e.getMessage());
    assertTrue(e.getMessage().contains("so a failover could still lose it"), e.getMessage());
    assertTrue(took.compareTo(TIMEOUT.multipliedBy(4)) < 0, "took " + took.toMillis() + " ms");
    // it is on the master all the same: WAIT does not undo a write
    assertEquals(1, MASTER.raw().keys("*:acked:lonely").size());
  }
}

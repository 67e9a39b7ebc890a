package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisSentinel;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A near cache on a Sentinel-watched master follows the failover: the copies taken from the old
 * master are dropped when the manager leaves it, and tracking starts again on the new one, so a
 * write there reaches the reader, whether the Sentinels were told to fail over or the master was
 * killed. The time from the election to the reader seeing the new value is printed.
 */
@Tag(RedisTest.TAG) // starts its own master, replica and Sentinels
@Timeout(90)
class NearCacheOnSentinelTest {

  private static final Duration ELECTION_BOUND = Duration.ofSeconds(15);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void cleanUp() {
    fixture.close();
  }

  @Test
  void afterAFailoverTheReaderSeesWritesOnTheNewMaster() {
    followsTheNewMaster("failover", RedisSentinel::failover);
  }

  @Test
  void afterTheMasterIsKilledTheReaderSeesWritesOnThePromotedReplica() {
    followsTheNewMaster("kill", sentinel -> sentinel.master().stop());
  }

  private void followsTheNewMaster(String name, Consumer<RedisSentinel> trigger) {
    assumeTrue(RedisSentinel.isAvailable(), "redis-server is not on PATH: this test starts a"
        + " master, a replica and three Sentinels");
    RedisSentinel sentinel = fixture.own(RedisSentinel.start());
    URI uri = URI.create(sentinel.uri() + "&prefix=" + RedisEndpoint.uniquePrefix("near-" + name)
        + "&timeout=500ms");
    Cache<String, String> near = fixture.separateCache(uri, "c",
        NearCaches.config(new NearCache(100, Duration.ofMinutes(5))));
    Cache<String, String> writer = fixture.separateCache(uri, "c", NearCaches.config(null));
    writer.put("k", "before");
    Await.until(RECOVERY_BOUND, "the reader to see the first value",
        () -> "before".equals(near.get("k")));
    for (int i = 0; i < 10; i++) {
      assertEquals("before", near.get("k"));
    }

    int oldMaster = sentinel.masterPort();
    trigger.accept(sentinel);
    long elected = sentinel.awaitNewMaster(oldMaster, ELECTION_BOUND).namedAtNanos();
    Await.until(RECOVERY_BOUND, "a write on the new master", () -> {
      try {
        writer.put("k", "after");
        return true;
      } catch (CacheException noMasterYet) {
        return false;
      }
    });
    Await.until(RECOVERY_BOUND, "the reader to see the write on the new master", () -> {
      try {
        return "after".equals(near.get("k"));
      } catch (CacheException reconnecting) {
        return false;
      }
    });
    long seen = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertEquals("after", near.get("k"), "no copy from before the failover comes back");
    }
    System.out.printf("NearCacheOnSentinelTest %s: the reader saw the new master's write %d ms"
        + " after the election%n", name, TimeUnit.NANOSECONDS.toMillis(seen - elected));
  }

}

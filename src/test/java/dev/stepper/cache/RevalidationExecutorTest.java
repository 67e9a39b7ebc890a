package dev.stepper.cache;

import static dev.stepper.cache.RevalidationFixture.CACHE;
import static dev.stepper.cache.RevalidationFixture.WAIT;
import static dev.stepper.cache.RevalidationFixture.config;
import static dev.stepper.cache.RevalidationFixture.entryKey;
import static dev.stepper.cache.RevalidationFixture.isPending;
import static dev.stepper.cache.RevalidationFixture.longWindows;
import static dev.stepper.cache.RevalidationFixture.pttl;
import static dev.stepper.cache.RevalidationFixture.revalidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.RevalidationFixture.Generator;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.EventRecorder.Seen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.event.EventType;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job queue is bounded: a generation it has no room for fails the read at once and leaves
 * no placeholder behind. Closing the manager does not wait for a job without bound, and the cache
 * is closed afterwards.
 */
@Timeout(30)
class RevalidationExecutorTest extends RevalidationTestBase {

  @Test
  void aFullQueueRefusesTheGenerationAndWithdrawsItsPlaceholder() throws Exception {
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass();
      return "value of " + key;
    });
    Cache<String, String> cache = fixture.manager(uri).createCache(CACHE,
        config(longWindows().jobThreads(1).jobQueue(1), generator));
    assertTrue(isPending(cache.get("a")));
    Await.until(WAIT, "the only job thread to be busy", () -> generator.calls().size() == 1);
    assertTrue(isPending(cache.get("queued")), "one job may wait in the queue");
    EventRecorder events = EventRecorder.registerOn(cache);

    var refused = assertThrows(CacheLoaderException.class, () -> cache.get("b"));

    assertTrue(refused.getMessage().contains("job-queue")
        && refused.getMessage().contains("jobQueue"), refused.getMessage());
    assertEquals(-2, pttl(raw, entryKey(prefix, "b")), "the placeholder of b is withdrawn");
    assertEquals(1, revalidation(uri, "JobsRejected"));
    assertEquals(1, generator.calls().size());
    // Synchronous listeners have heard everything by the time the reads returned.
    List<EventType> ofB = new ArrayList<>();
    while (events.received() > 0) {
      Seen seen = events.next();
      if (seen.key().equals("b")) {
        ofB.add(seen.type());
      }
    }
    assertEquals(List.of(EventType.CREATED, EventType.REMOVED), ofB, "events of b");

    gate.open();
    Await.until(WAIT, "a's value", () -> "value of a".equals(cache.get("a")));
    Await.until(WAIT, "the queued value", () -> "value of queued".equals(cache.get("queued")));
    // with the queue free again, b gets its turn
    assertTrue(isPending(cache.get("b")));
    Await.until(WAIT, "b's value", () -> "value of b".equals(cache.get("b")));
  }

  @Test
  void closingTheManagerWhileAJobBlocksReturnsAndLeavesTheCacheClosed() {
    var generator = new Generator().answering((key, job, call) -> {
      gate.pass(); // not opened before close: interrupted
      return "value";
    });
    CacheManager manager = fixture.manager(uri);
    Cache<String, String> cache = manager.createCache(CACHE, config(longWindows(), generator));
    assertTrue(isPending(cache.get("k")));
    Await.until(WAIT, "the job to start", () -> generator.calls().size() == 1);

    assertTimeoutPreemptively(Duration.ofSeconds(15), manager::close, "closing the manager");

    assertTrue(cache.isClosed());
    assertThrows(IllegalStateException.class, () -> cache.get("k"));
    assertThrows(IllegalStateException.class, () -> cache.get("other"));
  }
}

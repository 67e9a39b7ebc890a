package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.EventRecorder.Seen;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import javax.cache.Cache;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cache entry events travel between managers through Redis pub/sub: a listener registered on
 * manager B hears, with key, value and old value, every change manager A makes, and hears each
 * change B makes itself exactly once, synchronously. No warm-up precedes the writes: registration
 * returns only once Redis confirmed the subscription and no writer can still skip publishing on an
 * older finding that nobody listens; the writing script counts subscribers.
 */
@RedisTest
@Timeout(30)
class CrossManagerEventsTest {

  private final ManagerFixture fixture = new ManagerFixture();
  private Cache<String, String> cacheA;
  private Cache<String, String> cacheB;

  @BeforeEach
  void openTwoManagers(RedisEndpoint redis) {
    URI uri = redis.uriWithUniquePrefix("events");
    cacheA = fixture.separateCache(uri, "events", StringCaches.config());
    cacheB = fixture.separateCache(uri, "events", StringCaches.config());
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void createUpdateAndRemoveOnAReachBWithValuesAndOldValues() throws InterruptedException {
    EventRecorder onB = EventRecorder.registerOn(cacheB);

    cacheA.put("k", "v1");
    assertEvent(onB.next(), EventType.CREATED, "k", "v1", null);
    cacheA.put("k", "v2");
    assertEvent(onB.next(), EventType.UPDATED, "k", "v2", "v1");
    cacheA.remove("k");
    assertEvent(onB.next(), EventType.REMOVED, "k", "v2", "v2");
  }

  @Test
  void everyKindOfWriteOnAReachesB() throws InterruptedException {
    EventRecorder onB = EventRecorder.registerOn(cacheB);

    cacheA.putIfAbsent("k", "a");
    cacheA.replace("k", "b");
    cacheA.replace("k", "b", "c");
    cacheA.getAndPut("k", "d");
    cacheA.invoke("k", StringCaches::appendBang);
    cacheA.getAndRemove("k");
    var many = new LinkedHashMap<String, String>();
    many.put("m1", "x");
    many.put("m2", "y");
    cacheA.putAll(many);
    cacheA.removeAll(Set.of("m1"));

    List<Seen> heard = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Seen seen = onB.next();
      assertNotNull(seen, "9 events within " + EventRecorder.AWAIT_MILLIS + " ms each; got " + heard);
      heard.add(seen);
    }
    // Events of one key keep their order; across keys (on a cluster, across shards) they need not.
    assertEquals(List.of(seen(EventType.CREATED, "k", "a", null),
        seen(EventType.UPDATED, "k", "b", "a"), seen(EventType.UPDATED, "k", "c", "b"),
        seen(EventType.UPDATED, "k", "d", "c"), seen(EventType.UPDATED, "k", "d!", "d"),
        seen(EventType.REMOVED, "k", "d!", "d!")), ofKey(heard, "k"));
    assertEquals(List.of(seen(EventType.CREATED, "m1", "x", null),
        seen(EventType.REMOVED, "m1", "x", "x")), ofKey(heard, "m1"));
    assertEquals(List.of(seen(EventType.CREATED, "m2", "y", null)), ofKey(heard, "m2"));
  }

  private static Seen seen(EventType type, String key, String value, String oldValue) {
    return new Seen(type, key, value, oldValue, oldValue != null);
  }

  private static List<Seen> ofKey(List<Seen> events, String key) {
    return events.stream().filter(event -> event.key().equals(key)).toList();
  }

  @Test
  void keysAndValuesSurviveTheMessageFormat() throws InterruptedException {
    EventRecorder onB = EventRecorder.registerOn(cacheB);
    // A message is a series of netstrings: separators and multi-byte text must not shift them.
    String key = "k:1,2:é";
    String value = "3:abc,v\u0000ключ";

    cacheA.put(key, value);
    assertEvent(onB.next(), EventType.CREATED, key, value, null);
    cacheA.put(key, "");
    assertEvent(onB.next(), EventType.UPDATED, key, "", value);
  }

  @Test
  void conditionalWritesThatDoNotApplyAreNotAnnounced() throws InterruptedException {
    cacheA.put("k", "v");
    EventRecorder onB = EventRecorder.registerOn(cacheB);

    cacheA.putIfAbsent("k", "other");
    cacheA.replace("k", "wrong", "other");
    cacheA.replace("absent", "other");
    cacheA.remove("k", "wrong");
    cacheA.remove("absent");
    cacheA.put("marker", "m");

    // Pub/sub keeps order: had anything before the marker been announced, it would come first.
    assertEvent(onB.next(), EventType.CREATED, "marker", "m", null);
  }

  @Test
  void eventsOfBsOwnWritesAreDeliveredOnceAndSynchronously() throws InterruptedException {
    EventRecorder onB = EventRecorder.registerOn(cacheB);

    cacheB.put("own", "v");
    assertEquals(1, onB.received(), "B's own event was not delivered before put returned");
    assertEvent(onB.next(), EventType.CREATED, "own", "v", null);

    // An echo of B's own write would reach B before A's later write.
    cacheA.put("marker", "m");
    assertEvent(onB.next(), EventType.CREATED, "marker", "m", null);
  }

  @Test
  void ownEventsAreNotRepeatedEvenWhenPublishedForAnotherListener() throws InterruptedException {
    EventRecorder onB = EventRecorder.registerOn(cacheB);
    // With A listening too, B's writes are published; B must recognize its own and skip them.
    EventRecorder onA = EventRecorder.registerOn(cacheA);

    cacheB.put("b1", "v");
    assertTrue(onB.holds("b1"), "B's own event was not delivered before put returned");
    cacheA.put("a1", "v");
    assertTrue(onA.holds("a1"), "A's own event was not delivered before put returned");
    cacheB.put("b2", "v");
    cacheA.put("a2", "v");

    // Each side's remote events come after any echo of its own earlier writes of the same shard.
    assertEquals(List.of("a1", "a2", "b1", "b2"), onB.keysUntil("a1", "a2"));
    assertEquals(List.of("a1", "a2", "b1", "b2"), onA.keysUntil("b1", "b2"));
  }

  @Test
  void aWriteAfterRegistrationIsHeardThoughTheWriterFoundNobodyListeningJustBefore()
      throws InterruptedException {
    // While nobody listens, A's writes are plain SETs that publish nothing, for 100 ms after its
    // write script last found no subscriber. Registration on B must outwait that finding, or A's
    // next write, though it starts after B's registration returned, goes unheard.
    for (int round = 0; round < 5; round++) {
      cacheA.put("k", "quiet-" + round);
      EventRecorder onB = EventRecorder.registerOn(cacheB);
      cacheA.put("k", "heard-" + round);
      assertEvent(onB.next(), EventType.UPDATED, "k", "heard-" + round, "quiet-" + round);
      cacheB.deregisterCacheEntryListener(onB.configuration());
    }
  }

  @Test
  void afterDeregistrationBHearsNothingMore() throws InterruptedException {
    EventRecorder onB = EventRecorder.registerOn(cacheB);
    cacheA.put("k", "v1");
    assertEvent(onB.next(), EventType.CREATED, "k", "v1", null);

    cacheB.deregisterCacheEntryListener(onB.configuration());
    EventRecorder again = EventRecorder.registerOn(cacheB);
    cacheA.put("k", "v2");

    assertEvent(again.next(), EventType.UPDATED, "k", "v2", "v1");
    assertEquals(0, onB.received(), "a deregistered listener was still called");
  }

  @Test
  void listenerChurnOnTheWritingManagerLosesNoEventForAnother() throws Exception {
    // B's writes tell the script whether B itself subscribes, so that B is not counted as an
    // audience. While B deregisters, that claim must never outlive B's subscription, or the
    // script takes A for B and publishes nothing.
    EventRecorder onA = EventRecorder.registerOn(cacheA);
    var stop = new AtomicBoolean();
    var churn = new Thread(() -> {
      while (!stop.get()) {
        cacheB.deregisterCacheEntryListener(EventRecorder.registerOn(cacheB).configuration());
      }
    }, "listener-churn");
    int writes = 2_000;
    churn.start();
    try {
      for (int i = 0; i < writes; i++) {
        cacheB.put("k" + i, "v");
      }
    } finally {
      stop.set(true);
      churn.join();
    }
    cacheB.put("last", "v");

    String[] written = IntStream.rangeClosed(0, writes)
        .mapToObj(i -> i < writes ? "k" + i : "last").toArray(String[]::new);
    List<String> heard = onA.keysUntil(written);
    assertEquals(writes + 1, heard.size(),
        "A heard " + heard.size() + " of B's " + (writes + 1) + " writes");
  }

  private static void assertEvent(Seen seen, EventType type, String key, String value,
      String oldValue) {
    assertNotNull(seen, "no " + type + " event for " + key + " within "
        + EventRecorder.AWAIT_MILLIS + " ms");
    assertEquals(seen(type, key, value, oldValue), seen);
  }
}

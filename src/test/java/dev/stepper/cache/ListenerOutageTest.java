package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.EventRecorder.Seen;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisServerProcess;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that a listener registration Redis could not confirm leaves nothing behind: the call
 * throws, the cache's configuration does not list the listener, and once Redis is back the very
 * same configuration registers (it is not "already registered") and its listener hears changes
 * made by another manager, once each; and that a listener removed while Redis is down leaves no
 * subscription once it is back. Each test owns its redis-server, which it stops.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class ListenerOutageTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration FAILURE_BOUND = Duration.ofSeconds(3);
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
  private static final String NEEDS_SERVER =
      "redis-server is not on PATH: these tests stop a server of their own";

  private final ManagerFixture fixture = new ManagerFixture();
  /** The URI of the test's managers: one prefix, so that they all see the same cache. */
  private String uri;

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void firstListenerRegisteredDuringAnOutageCanBeRegisteredAgainOnceRedisIsBack() throws Exception {
    // No listener yet: the manager has no pub/sub connection, and opening it fails.
    PrivateRedis redis = fixture.own(PrivateRedis.start(NEEDS_SERVER));
    Cache<String, String> cache = cache(redis.server());
    cache.put("before", "outage");

    failThenRegisterAgain(redis, cache);
  }

  @Test
  void listenerRegisteredWhileThePubSubConnectionIsDownCanBeRegisteredAgainLater()
      throws Exception {
    // A listener came and went: the pub/sub connection exists, and subscribing on it fails.
    PrivateRedis redis = fixture.own(PrivateRedis.start(NEEDS_SERVER));
    Cache<String, String> cache = cache(redis.server());
    var earlier = EventRecorder.registerOn(cache);
    cache.deregisterCacheEntryListener(earlier.configuration());

    failThenRegisterAgain(redis, cache);
  }

  @Test
  void listenerDeregisteredDuringAnOutageLeavesNoSubscriptionOnceRedisIsBack() throws Exception {
    // Lettuce restores subscriptions after a reconnect, including one whose UNSUBSCRIBE failed:
    // writers would publish to this JVM for nothing, forever.
    PrivateRedis redis = fixture.own(PrivateRedis.start(NEEDS_SERVER));
    Cache<String, String> cache = cache(redis.server());
    var listener = EventRecorder.registerOn(cache);
    redis.server().stop();

    cache.deregisterCacheEntryListener(listener.configuration());
    assertEquals(List.of(), listeners(cache));

    redis.server().restart();
    // Wait for the pub/sub connection's return, marked by the subscription Lettuce restores...
    Await.until(RECOVERY_BOUND, "the pub/sub connection to resubscribe",
        () -> redis.raw().commands().clientList().matches("(?s).*cmd=(p?un)?subscribe.*"));
    // ...which must then go away.
    Await.until(RECOVERY_BOUND, "no channel left subscribed",
        () -> redis.raw().commands().pubsubChannels().isEmpty());
    // and the writers publish nothing again
    cache.put("after", "outage");
    assertEquals(0L, redis.raw().commandCalls().getOrDefault("publish", 0L));
  }

  private void failThenRegisterAgain(PrivateRedis redis, Cache<String, String> cache)
      throws Exception {
    RedisServerProcess server = redis.server();
    var recorder = new EventRecorder();
    var listener = new MutableCacheEntryListenerConfiguration<String, String>(
        FactoryBuilder.factoryOf(recorder), null, true, true);
    server.stop();

    long start = System.nanoTime();
    assertThrows(CacheException.class, () -> cache.registerCacheEntryListener(listener));
    assertTrue(System.nanoTime() - start < FAILURE_BOUND.toNanos(),
        "the registration failed only after " + FAILURE_BOUND.toSeconds() + " s");
    assertEquals(List.of(), listeners(cache));

    server.restart();
    // Until the pub/sub connection is back, registering may fail again, never as a duplicate.
    Await.success(RECOVERY_BOUND, () -> {
      cache.registerCacheEntryListener(listener);
      return null;
    });
    assertEquals(List.of(listener), listeners(cache));

    // Another manager's change arrives over the subscription, and only once.
    Cache<String, String> other = fixture.separateCache(
        URI.create(cacheUri(server)), "listened", StringCaches.config());
    other.put("remote", "r");
    Seen remote = recorder.next();
    assertNotNull(remote, "no event from the other manager");
    assertEquals(List.of(EventType.CREATED, "remote", "r"),
        List.of(remote.type(), remote.key(), remote.value()));
    // A local change is delivered synchronously, so anything queued before it would show. The
    // command connection reconnects on its own schedule (every 500 ms at most), so it may still
    // be on its way back.
    Await.success(RECOVERY_BOUND, () -> {
      cache.put("local", "l");
      return null;
    });
    assertEquals("local", recorder.next().key());
    assertEquals(0, recorder.received());
  }

  private static List<CacheEntryListenerConfiguration<String, String>> listeners(
      Cache<String, String> cache) {
    @SuppressWarnings("unchecked")
    CompleteConfiguration<String, String> configuration =
        cache.getConfiguration(CompleteConfiguration.class);
    var listeners = new ArrayList<CacheEntryListenerConfiguration<String, String>>();
    configuration.getCacheEntryListenerConfigurations().forEach(listeners::add);
    return listeners;
  }

  private Cache<String, String> cache(RedisServerProcess server) {
    return fixture.managerOnPrivateServer(URI.create(cacheUri(server)))
        .createCache("listened", StringCaches.config());
  }

  private String cacheUri(RedisServerProcess server) {
    if (uri == null) {
      uri = server.endpoint().uriWithUniquePrefix("listener") + "&timeout=" + TIMEOUT.toMillis()
          + "ms";
    }
    return uri;
  }
}

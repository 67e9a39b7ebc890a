package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that {@code replace(k, old, new)} and {@code remove(k, v)} compare values by
 * {@code equals}, as the specification says, even where JDK serialization writes equal values
 * differently: two equal {@code HashMap}s of other capacities serialize to other bytes, so a
 * byte comparison alone would wrongly report a mismatch. A real mismatch still fails, and the
 * events and statistics follow what was done.
 */
@RedisTest
@Timeout(30)
class ConditionalEqualityTest {

  /** HashMap's class object, typed for a cache of string maps. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Class<HashMap<String, String>> MAP = (Class) HashMap.class;

  private final ManagerFixture fixture = new ManagerFixture();
  private final String cacheName = "equality-" + System.nanoTime();
  private Cache<String, HashMap<String, String>> cache;
  private final MapEvents events = new MapEvents();

  @BeforeEach
  void open(RedisEndpoint redis) {
    var config = new MutableConfiguration<String, HashMap<String, String>>()
        .setTypes(String.class, MAP)
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, false, true));
    cache = fixture.manager(redis.uriWithUniquePrefix("equality")).createCache(cacheName, config);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void equalValuesThatSerializeDifferentlyStillMatch() throws Exception {
    HashMap<String, String> small = map(4, "a", "1", "b", "2");
    HashMap<String, String> large = map(1024, "a", "1", "b", "2");
    // The premise: equal, yet written differently (HashMap writes its capacity).
    assertEquals(small, large);
    assertFalse(Arrays.equals(serialized(small), serialized(large)));
    HashMap<String, String> updated = map(4, "a", "1", "b", "2", "c", "3");
    cache.put("replaced", small);
    cache.put("removed", small);

    assertTrue(cache.replace("replaced", large, updated));
    assertTrue(cache.remove("removed", large));

    assertEquals(updated, cache.get("replaced"));
    assertFalse(cache.containsKey("removed"));
    assertEquals(List.of(EventType.UPDATED + " replaced", EventType.REMOVED + " removed"),
        events.seen);
    // Two puts to set up, one replacement.
    assertEquals(3L, statistic("CachePuts"));
    assertEquals(1L, statistic("CacheRemovals"));
  }

  @Test
  void unequalValuesStillDoNotMatch() throws Exception {
    HashMap<String, String> stored = map(4, "a", "1");
    HashMap<String, String> other = map(1024, "a", "2");
    cache.put("k", stored);

    assertFalse(cache.replace("k", other, map(4, "a", "3")));
    assertFalse(cache.remove("k", other));

    assertEquals(stored, cache.get("k"));
    assertEquals(List.of(), events.seen);
    // Only the put that set it up.
    assertEquals(1L, statistic("CachePuts"));
    assertEquals(0L, statistic("CacheRemovals"));
  }

  private long statistic(String attribute) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    // The cache name is unique to this test, so whatever the manager is called, one bean matches.
    Set<ObjectName> names = server.queryNames(
        new ObjectName("javax.cache:type=CacheStatistics,Cache=" + cacheName + ",*"), null);
    assertEquals(1, names.size(), names.toString());
    return (Long) server.getAttribute(names.iterator().next(), attribute);
  }

  private static HashMap<String, String> map(int capacity, String... keysAndValues) {
    var map = new HashMap<String, String>(capacity);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static byte[] serialized(Object value) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** A synchronous listener recording the type and key of each update and removal. */
  static final class MapEvents
      implements CacheEntryUpdatedListener<String, HashMap<String, String>>,
      CacheEntryRemovedListener<String, HashMap<String, String>>, Serializable {
    private static final long serialVersionUID = 1L;

    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onUpdated(
        Iterable<CacheEntryEvent<? extends String, ? extends HashMap<String, String>>> batch) {
      batch.forEach(event -> seen.add(event.getEventType() + " " + event.getKey()));
    }

    @Override
    public void onRemoved(
        Iterable<CacheEntryEvent<? extends String, ? extends HashMap<String, String>>> batch) {
      batch.forEach(event -> seen.add(event.getEventType() + " " + event.getKey()));
    }
  }
}

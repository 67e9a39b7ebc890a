package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.integration.CacheWriter;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code removeAll()} empties the cache even of entries whose keys its codec cannot read (written
 * by another codec, or of a class the allow-list refuses, as Spring's {@code SimpleKey} was):
 * keys are decoded only for a writer or listeners, and the ones they cannot be told of are
 * removed all the same. {@code @CacheEvict(allEntries = true)} is this call.
 */
@RedisTest
@Timeout(30)
class RemoveAllUnreadableKeysTest {

  private final ManagerFixture fixture = new ManagerFixture();
  private RawRedis raw;
  private String prefix;
  private String cacheName;
  private RedisEndpoint redis;

  @BeforeEach
  void open(RedisEndpoint redis) {
    this.redis = redis;
    prefix = RedisEndpoint.uniquePrefix("unreadable");
    cacheName = "removed-" + prefix;
    raw = fixture.own(new RawRedis(redis.uri()));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void withNeitherWriterNorListenersEveryEntryGoesAndCountsAsARemoval() throws Exception {
    Cache<Object, Object> cache = cache(new MutableConfiguration<>().setStatisticsEnabled(true));
    fill(cache);

    cache.removeAll();

    assertEquals(List.of(), raw.keys(prefix + ":*"));
    assertEquals(5L, removals(), "3 readable + 2 unreadable entries");
  }

  @Test
  void theWriterAndListenersAreToldOfTheReadableOnesAndTheOthersGoToo() {
    var deleted = new CopyOnWriteArrayList<Object>();
    var removed = new CopyOnWriteArrayList<Object>();
    var config = new MutableConfiguration<>()
        .setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(new DeletionRecorder(deleted)))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(new RemovalRecorder(removed)), null, false, true));
    Cache<Object, Object> cache = cache(config);
    fill(cache);

    cache.removeAll();

    assertEquals(List.of(), raw.keys(prefix + ":*"));
    assertEquals(List.of("a", "b", "c"), sorted(deleted));
    assertEquals(List.of("a", "b", "c"), sorted(removed));
  }

  private Cache<Object, Object> cache(MutableConfiguration<Object, Object> config) {
    return fixture.manager(redis.uriWithPrefix(prefix)).createCache(cacheName, config);
  }

  /** Three entries of its own, and two whose keys no JDK codec reads, at the cache's Redis keys. */
  private void fill(Cache<Object, Object> cache) {
    cache.put("a", 1);
    cache.put("b", 2);
    cache.put("c", 3);
    raw.set(prefix + ":" + cacheName + ":not-java-serialization", RawRedis.utf8("x"));
    raw.set(prefix + ":" + cacheName + ":\u00ac\u00ed-truncated", RawRedis.utf8("y"));
    assertEquals(5, raw.keys(prefix + ":*").size());
  }

  private long removals() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    // the cache's name is the test's own, so one bean matches whatever the manager is called
    Set<ObjectName> names = server.queryNames(
        new ObjectName("javax.cache:type=CacheStatistics,Cache=" + cacheName + ",*"), null);
    assertEquals(1, names.size(), names.toString());
    return (Long) server.getAttribute(names.iterator().next(), "CacheRemovals");
  }

  private static List<String> sorted(Collection<Object> keys) {
    List<String> list = new ArrayList<>();
    keys.forEach(key -> list.add((String) key));
    list.sort(null);
    return list;
  }

  /** Records deletions; writes nothing anywhere. */
  static final class DeletionRecorder implements CacheWriter<Object, Object>, java.io.Serializable {
    private final transient List<Object> deleted;

    DeletionRecorder(List<Object> deleted) {
      this.deleted = deleted;
    }

    @Override
    public void write(Cache.Entry<?, ?> entry) {}

    @Override
    public void writeAll(Collection<Cache.Entry<?, ?>> entries) {
      entries.clear();
    }

    @Override
    public void delete(Object key) {
      deleted.add(key);
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      deleted.addAll(keys);
      keys.clear();
    }
  }

  /** Records the keys of removal events. */
  static final class RemovalRecorder implements CacheEntryRemovedListener<Object, Object>,
      java.io.Serializable {
    private final transient List<Object> removed;

    RemovalRecorder(List<Object> removed) {
      this.removed = removed;
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<?, ?>> events) {
      events.forEach(event -> removed.add(event.getKey()));
    }
  }
}

package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves two integration fixes. {@code removeAll()} with write-through goes on after a SCAN batch
 * the writer failed on: every other batch is removed, the failure is thrown at the end, and only
 * the keys the writer did not delete stay. Read-through {@code getAll} copes with a loader that
 * returns an unmodifiable map holding a null value and a key nobody asked for: it returns and
 * stores exactly the requested keys that have values. A server of its own makes the SCAN batches
 * of one cache's keys only.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(30)
class LoaderWriterEdgeCasesTest {

  @RegisterExtension
  static final PrivateRedis REDIS = new PrivateRedis(
      "redis-server is not on PATH: these tests want SCAN batches of one cache's keys");

  /** Three SCAN batches' worth (500 each), at least. */
  private static final int ENTRIES = 1_500;

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void removeAllGoesOnAfterTheWriterFailedOnTheFirstBatch() {
    var writer = new FailingOnceWriter();
    var config = StringCaches.config().setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer));
    Cache<String, String> cache = fixture.manager(uri("remove-all"))
        .createCache("written", config);
    Map<String, String> entries = new HashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      entries.put("k" + i, "v" + i);
    }
    cache.putAll(entries);

    CacheWriterException thrown = assertThrows(CacheWriterException.class, cache::removeAll);

    assertSame(writer.failure, thrown);
    assertTrue(writer.calls.get() > 1, "one writer call: the batches did not go on");
    Set<String> remaining = cache.getAll(entries.keySet()).keySet();
    // The keys the writer deleted are gone, every other key stays.
    assertEquals(Set.of(), difference(remaining, writer.undeleted()), "deleted, yet still cached");
    assertEquals(Set.of(), difference(writer.undeleted(), remaining), "not deleted, yet gone");
    assertFalse(remaining.isEmpty(), "the writer's failure left no key");
    // And only keys of the failed batch stayed: every later batch was removed.
    assertEquals(Set.of(), difference(remaining, writer.undeletedOnFailure),
        "stayed though not in the failed batch");
  }

  @Test
  void readThroughGetAllTakesTheRequestedKeysFromAnUnmodifiableMapWithNullsAndExtras() {
    var config = StringCaches.config().setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(new OddLoader()));
    Cache<String, String> cache = fixture.manager(uri("get-all")).createCache("loaded", config);

    Map<String, String> got = cache.getAll(Set.of("a", "b", "c"));

    assertEquals(Map.of("a", "A", "c", "C"), got);
    assertTrue(cache.containsKey("a"));
    assertFalse(cache.containsKey("b"));
    assertTrue(cache.containsKey("c"));
    assertFalse(cache.containsKey("extra"), "stored a key nobody asked for");
  }

  private static Set<String> difference(Set<String> from, Set<String> without) {
    Set<String> result = new HashSet<>(from);
    result.removeAll(without);
    return result;
  }

  private static URI uri(String hint) {
    return REDIS.endpoint().uriWithPrefix(RedisEndpoint.uniquePrefix(hint));
  }

  /**
   * Deletes half of the first batch it is given and fails on the rest; deletes every later batch.
   */
  static final class FailingOnceWriter implements CacheWriter<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    final AtomicInteger calls = new AtomicInteger();
    final Set<String> written = ConcurrentHashMap.newKeySet();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    final Set<String> undeletedOnFailure = ConcurrentHashMap.newKeySet();
    volatile CacheWriterException failure;

    /** @return the keys written and not deleted since */
    Set<String> undeleted() {
      return difference(written, deleted);
    }

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      written.add(entry.getKey());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      entries.forEach(entry -> written.add(entry.getKey()));
      entries.clear();
    }

    @Override
    public void delete(Object key) {
      deleted.add((String) key);
    }

    @Override
    public synchronized void deleteAll(Collection<?> keys) {
      if (keys.isEmpty()) {
        return;
      }
      calls.incrementAndGet();
      if (failure == null) {
        // What is left in the collection is what the writer did not delete.
        List<?> half = new ArrayList<>(keys).subList(0, keys.size() / 2);
        for (Object key : half) {
          deleted.add((String) key);
          keys.remove(key);
        }
        keys.forEach(key -> undeletedOnFailure.add((String) key));
        failure = new CacheWriterException("the store refused " + keys.size() + " deletions");
        throw failure;
      }
      for (Iterator<?> it = keys.iterator(); it.hasNext(); ) {
        deleted.add((String) it.next());
        it.remove();
      }
    }
  }

  /**
   * Loads upper case values; {@code loadAll} answers as some stores do: an unmodifiable map, a
   * null for a key it has nothing for, and a key it was not asked for.
   */
  static final class OddLoader implements CacheLoader<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String load(String key) {
      return key.equals("b") ? null : key.toUpperCase();
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> loaded = new HashMap<>();
      keys.forEach(key -> loaded.put(key, load(key)));
      loaded.put("extra", "X");
      return Collections.unmodifiableMap(loaded);
    }
  }
}

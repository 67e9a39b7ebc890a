package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that {@code iterator().remove()} removes what the iterator returned and nothing else: a
 * value another manager wrote since stays, and the call still returns normally; and that
 * {@code remove()} after a {@code hasNext()} that fetched the next SCAN batch still removes the
 * entry {@code next()} returned. A server of its own lets the test count the SCAN calls.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(30)
class IteratorRemoveTest {

  @RegisterExtension
  static final PrivateRedis REDIS = new PrivateRedis(
      "redis-server is not on PATH: these tests count a server's SCAN calls");

  /** Well above one SCAN batch (500), so that batches change during the walk. */
  private static final int ENTRIES = 1_200;

  private final ManagerFixture fixture = new ManagerFixture();
  private String prefix;
  private Cache<String, String> cache;
  private Cache<String, String> otherManagersCache;

  @BeforeEach
  void open() {
    prefix = RedisEndpoint.uniquePrefix("iteration");
    URI uri = REDIS.endpoint().uriWithPrefix(prefix);
    cache = fixture.manager(uri).createCache("walked", StringCaches.config());
    otherManagersCache = fixture.separateCache(uri, "walked", StringCaches.config());
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void removeThroughTheIteratorKeepsAValueAnotherManagerWroteSince() {
    cache.put("changed", "old");
    cache.put("unchanged", "old");

    Iterator<Cache.Entry<String, String>> it = cache.iterator();
    Set<String> seen = new HashSet<>();
    while (it.hasNext()) {
      Cache.Entry<String, String> entry = it.next();
      seen.add(entry.getKey());
      assertEquals("old", entry.getValue());
      if (entry.getKey().equals("changed")) {
        // Written after next() returned "old": removing "old" must not remove this.
        otherManagersCache.put("changed", "new");
      }
      assertDoesNotThrow(it::remove);
    }

    assertEquals(Set.of("changed", "unchanged"), seen);
    assertEquals("new", cache.get("changed"));
    assertEquals("new", otherManagersCache.get("changed"));
    assertNull(cache.get("unchanged"));
  }

  @Test
  void removeAfterHasNextFetchedTheNextBatchRemovesTheEntryNextReturned() {
    Map<String, String> entries = new HashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      entries.put("k" + i, "v" + i);
    }
    cache.putAll(entries);
    REDIS.raw().resetStats();

    Set<String> returned = new HashSet<>();
    Iterator<Cache.Entry<String, String>> it = cache.iterator();
    while (it.hasNext()) {
      Cache.Entry<String, String> entry = it.next();
      assertEquals(entries.get(entry.getKey()), entry.getValue());
      assertTrue(returned.add(entry.getKey()), "returned twice: " + entry.getKey());
      // Looking ahead may replace the batch the entry came from.
      it.hasNext();
      it.remove();
      assertFalse(cache.containsKey(entry.getKey()), "not removed: " + entry.getKey());
    }

    assertEquals(entries.keySet(), returned);
    long scans = REDIS.raw().commandCalls().getOrDefault("scan", 0L);
    assertTrue(scans > 1, "the walk took " + scans + " SCAN call(s): no batch boundary crossed");
    assertEquals(List.of(), REDIS.raw().keys(prefix + ":*"));
  }
}

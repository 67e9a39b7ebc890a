package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cache far larger than one SCAN batch: {@code iterator()} returns every one of its 20,000
 * entries exactly once, and {@code clear()} removes all of them, whichever manager filled it.
 */
@RedisTest
@Timeout(60)
class RoundTripLargeCacheTest {

  private static final int ENTRIES = 20_000;
  private static final int CHUNK = 1_000;

  private final ManagerFixture fixture = new ManagerFixture();
  private RawRedis raw;
  private String prefix;
  private Cache<String, String> filler;
  private Cache<String, String> reader;

  @BeforeEach
  void fillThroughOneManager(RedisEndpoint redis) {
    raw = fixture.own(new RawRedis(redis.uri()));
    prefix = RedisEndpoint.uniquePrefix("large");
    filler = fixture.separateCache(redis.uriWithPrefix(prefix), "big", StringCaches.config());
    reader = fixture.separateCache(redis.uriWithPrefix(prefix), "big", StringCaches.config());
    Map<String, String> chunk = new HashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      chunk.put(key(i), valueOf(key(i)));
      if (chunk.size() == CHUNK) {
        filler.putAll(chunk);
        chunk.clear();
      }
    }
    filler.putAll(chunk);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void iteratorReturnsEveryEntryExactlyOnce() {
    Map<String, Integer> timesSeen = new HashMap<>();
    for (Cache.Entry<String, String> entry : reader) {
      timesSeen.merge(entry.getKey(), 1, Integer::sum);
      assertEquals(valueOf(entry.getKey()), entry.getValue(), entry.getKey());
    }

    assertEquals(ENTRIES, timesSeen.size(), "distinct keys seen");
    timesSeen.forEach((key, times) -> assertEquals(1, times, key + " seen " + times + " times"));
  }

  @Test
  void clearRemovesEveryEntry() {
    reader.clear();

    List<String> left = raw.keys(prefix + ":*");
    assertEquals(0, left.size(), "keys left in Redis, among them "
        + left.subList(0, Math.min(5, left.size())));
    assertFalse(filler.iterator().hasNext());
    assertNull(filler.get(key(0)));
    assertNull(filler.get(key(ENTRIES - 1)));
  }

  private static String key(int i) {
    return String.format("key-%05d", i);
  }

  private static String valueOf(String key) {
    return "value of " + key;
  }
}

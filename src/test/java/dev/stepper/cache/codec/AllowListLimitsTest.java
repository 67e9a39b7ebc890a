package dev.stepper.cache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that the JDK codec's allow-list cannot be opened to every class, and that it refuses to
 * read back object graphs nested deeper than 100 levels even when every class in them is allowed
 * (such graphs can take unbounded time to read), while an ordinary nesting reads back as stored.
 */
@RedisTest
@Timeout(30)
class AllowListLimitsTest {

  private final ManagerFixture fixture = new ManagerFixture();
  private Cache<String, Object> cache;

  @BeforeEach
  void open(RedisEndpoint redis) {
    // java.util.* is on the default allow-list: only the depth can refuse these lists.
    var config = new MutableConfiguration<String, Object>().setTypes(String.class, Object.class);
    cache = fixture.manager(redis.uriWithUniquePrefix("allow-list")).createCache("nested", config);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "**", "*.*", ".**"})
  void patternsAllowingEveryClassAreRefused(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Codecs.jdk(pattern));
    assertTrue(e.getMessage().contains("not an allow-list pattern"), e.getMessage());
  }

  @Test
  void graphNestedDeeperThanTheLimitIsRefusedOnRead() {
    cache.put("deep", nested(150));

    CacheException e = assertThrows(CacheException.class, () -> cache.get("deep"));

    assertTrue(e.getMessage().contains("nests deeper than 100 levels"), e.getMessage());
  }

  @Test
  void graphNestedWithinTheLimitReadsBack() {
    List<Object> value = nested(50);
    cache.put("shallow", value);

    assertEquals(value, cache.get("shallow"));
  }

  /** @return lists inside lists, {@code depth} of them */
  private static ArrayList<Object> nested(int depth) {
    var outer = new ArrayList<Object>();
    var current = outer;
    for (int level = 1; level < depth; level++) {
      var inner = new ArrayList<Object>();
      current.add(inner);
      current = inner;
    }
    return outer;
  }
}

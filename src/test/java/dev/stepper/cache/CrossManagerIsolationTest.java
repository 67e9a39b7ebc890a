package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entries of different caches, and of managers with different key prefixes, never meet: the same
 * key in each is a different Redis key, and {@code clear()} or iteration of one cache leaves the
 * others' keys alone, even when a cache name contains the separator or glob characters. The keys
 * themselves are inspected on a private {@code redis-server}.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(30)
class CrossManagerIsolationTest {

  @RegisterExtension
  static final PrivateRedis redis =
      new PrivateRedis("key inspection needs a private redis-server on PATH");

  private final ManagerFixture fixture = new ManagerFixture();
  private String prefix;
  private CacheManager manager;

  @BeforeEach
  void openManager() {
    prefix = RedisEndpoint.uniquePrefix("isolation");
    manager = fixture.separateManager(redis.endpoint().uriWithPrefix(prefix));
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void theSameKeyInTwoCachesIsTwoEntries() {
    Cache<String, String> alpha = cache(manager, "alpha");
    Cache<String, String> beta = cache(manager, "beta");

    alpha.put("k", "in alpha");
    beta.put("k", "in beta");

    assertEquals("in alpha", alpha.get("k"));
    assertEquals("in beta", beta.get("k"));
    assertEquals(List.of(prefix + ":alpha:k", prefix + ":beta:k"), keysOf(prefix));
  }

  @Test
  void clearOfOneCacheLeavesTheOthersKeys() {
    Cache<String, String> alpha = cache(manager, "alpha");
    Cache<String, String> beta = cache(manager, "beta");
    alpha.put("k", "in alpha");
    alpha.put("only-alpha", "a");
    beta.put("k", "in beta");

    alpha.clear();

    assertEquals(List.of(prefix + ":beta:k"), keysOf(prefix));
    assertNull(alpha.get("k"));
    assertEquals("in beta", beta.get("k"));
  }

  @Test
  void theSameCacheAndKeyUnderTwoPrefixesAreIndependent() {
    // One prefix starting with the other: only the ':' after a prefix keeps them apart.
    String otherPrefix = prefix + "-x";
    Cache<String, String> mine = cache(manager, "shared");
    Cache<String, String> theirs = cache(
        fixture.separateManager(redis.endpoint().uriWithPrefix(otherPrefix)), "shared");

    mine.put("k", "mine");
    theirs.put("k", "theirs");
    assertEquals("mine", mine.get("k"));
    assertEquals("theirs", theirs.get("k"));

    assertEquals("mine", mine.getAndRemove("k"));
    assertEquals("theirs", theirs.get("k"));
    mine.put("k", "mine again");

    theirs.clear();
    assertEquals(List.of(prefix + ":shared:k"), keysOf(prefix));
    assertEquals(List.of(), keysOf(otherPrefix));
    assertEquals("mine again", mine.get("k"));
  }

  @Test
  void iterationSeesOnlyItsOwnCache() {
    Cache<String, String> alpha = cache(manager, "alpha");
    Cache<String, String> beta = cache(manager, "beta");
    alpha.put("a1", "1");
    alpha.put("a2", "2");
    beta.put("b1", "1");

    assertEquals(Map.of("a1", "1", "a2", "2"), contents(alpha));
    assertEquals(Map.of("b1", "1"), contents(beta));
  }

  @Test
  void aColonInTheCacheNameCannotForgeAnotherCachesKey() {
    // Unescaped, cache "a" key "b:c" and cache "a:b" key "c" would both be "<prefix>:a:b:c".
    Cache<String, String> a = cache(manager, "a");
    Cache<String, String> ab = cache(manager, "a:b");

    a.put("b:c", "of a");
    ab.put("c", "of a:b");

    assertEquals("of a", a.get("b:c"));
    assertEquals("of a:b", ab.get("c"));
    assertEquals(Map.of("b:c", "of a"), contents(a));
    assertEquals(Map.of("c", "of a:b"), contents(ab));

    a.clear();
    assertEquals("of a:b", ab.get("c"));
  }

  @Test
  void globCharactersInACacheNameDoNotWidenClear() {
    Cache<String, String> victim = cache(manager, "cx");
    victim.put("k", "v");
    for (String name : new String[] {"c*", "c?", "[c]x", "c\\"}) {
      Cache<String, String> globbed = cache(manager, name);
      globbed.put("k", "globbed");

      globbed.clear();

      assertEquals(Map.of(), contents(globbed), name);
      assertEquals("v", victim.get("k"), "clear() of cache " + name + " removed cache cx's entry");
    }
    assertEquals(List.of(prefix + ":cx:k"), keysOf(prefix));
  }

  private static Cache<String, String> cache(CacheManager manager, String name) {
    return manager.createCache(name, StringCaches.config());
  }

  /** @return the Redis keys under the prefix, sorted */
  private static List<String> keysOf(String prefix) {
    return redis.raw().keys(prefix + ":*");
  }

  private static Map<String, String> contents(Cache<String, String> cache) {
    Map<String, String> contents = new TreeMap<>();
    cache.forEach(entry -> contents.put(entry.getKey(), entry.getValue()));
    return contents;
  }
}

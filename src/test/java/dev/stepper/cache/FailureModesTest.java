package dev.stepper.cache;

import static dev.stepper.cache.testing.RawRedis.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.util.Arrays;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that bad data and bad input fail loudly, say what is wrong and what to do, and leave
 * Redis as it was: a value corrupted in Redis is reported with its Redis key and left for a
 * person to inspect, while the rest of the cache keeps working and a put repairs it; a write that
 * does touch such a value says truthfully what became of it; invalid manager URIs, unsupported
 * configurations and values the codec cannot encode are refused before anything is written.
 */
@RedisTest
class FailureModesTest {

  private final ManagerFixture fixture = new ManagerFixture();
  private RedisEndpoint redis;
  private RawRedis raw;
  private String prefix;

  @BeforeEach
  void connect(RedisEndpoint redis) {
    this.redis = redis;
    this.prefix = RedisEndpoint.uniquePrefix("failure");
    // A connection that bypasses the provider, to see and tamper with what it stored.
    raw = fixture.own(new RawRedis(redis.uri()));
  }

  @AfterEach
  void cleanUp() {
    fixture.close();
  }

  @Test
  void corruptedValueFailsNamingItsRedisKeyAndLeavesItForInspection() {
    Cache<String, String> cache = stringCache("corruptible");
    cache.put("broken", "fine at first");
    cache.put("healthy", "still fine");
    String redisKey = prefix + ":corruptible:broken";
    byte[] garbage = {0x00, 0x13, 'n', 'o', 't', ' ', 'j', 'a', 'v', 'a', (byte) 0xff};
    raw.set(redisKey, garbage);

    CacheException e = assertThrows(CacheException.class, () -> cache.get("broken"));

    assertTrue(e.getMessage().contains("\"" + prefix + ":corruptible:broken\""), e.getMessage());
    // Deleting it silently would destroy the evidence of whoever wrote it.
    assertArrayEquals(garbage, raw.get(redisKey));
    assertEquals("still fine", cache.get("healthy"));
  }

  @Test
  void putOverACorruptedValueRepairsTheEntry() {
    Cache<String, String> cache = stringCache("repairable");
    raw.set(prefix + ":repairable:k", utf8("{definitely not serialized java}"));
    assertThrows(CacheException.class, () -> cache.get("k"));

    cache.put("k", "repaired");

    assertEquals("repaired", cache.get("k"));
  }

  @Test
  void getAndPutOverACorruptedValueTellsTruthfullyWhatBecameOfIt() {
    Cache<String, String> cache = stringCache("overwritten");
    String redisKey = prefix + ":overwritten:k";
    byte[] garbage = utf8("{garbage}");
    raw.set(redisKey, garbage);

    CacheException e = assertThrows(CacheException.class, () -> cache.getAndPut("k", "new"));

    // Whoever repairs the data by hand acts on this message, so it must match Redis.
    assertMessageMatchesRedis(e, garbage, raw.get(redisKey));
  }

  @Test
  void getAndRemoveOfACorruptedValueTellsTruthfullyWhatBecameOfIt() {
    Cache<String, String> cache = stringCache("removed");
    String redisKey = prefix + ":removed:k";
    byte[] garbage = utf8("{garbage}");
    raw.set(redisKey, garbage);

    CacheException e = assertThrows(CacheException.class, () -> cache.getAndRemove("k"));

    assertMessageMatchesRedis(e, garbage, raw.get(redisKey));
  }

  @Test
  void nonRedisUriIsRefusedSayingWhatToWriteInstead() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fixture.manager(URI.create("http://x")));

    assertTrue(e.getMessage().contains("http://x"), e.getMessage());
    assertTrue(e.getMessage().contains("not a Redis URI"), e.getMessage());
    assertTrue(e.getMessage().contains("redis://"), e.getMessage());
  }

  @Test
  void unparsableTimeoutIsRefusedSayingHowToWriteIt() {
    URI uri = URI.create(redis.uriWithPrefix(prefix) + "&timeout=abc");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fixture.manager(uri));

    assertTrue(e.getMessage().contains("timeout=abc"), e.getMessage());
    assertTrue(e.getMessage().contains("500ms"), e.getMessage());
  }

  @Test
  void prefixWithColonIsRefusedSayingWhichCharactersAreAllowed() {
    URI uri = redis.uriWithPrefix("team:a");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fixture.manager(uri));

    assertTrue(e.getMessage().contains("'team:a'"), e.getMessage());
    assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
  }

  @Test
  void prefixWithBraceIsRefusedSayingWhichCharactersAreAllowed() {
    // A brace would make Redis Cluster hash only part of the key, so it must never get through.
    URI uri = redis.uriWithPrefix("team{a}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fixture.manager(uri));

    assertTrue(e.getMessage().contains("'team{a}'"), e.getMessage());
    assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
  }

  @Test
  void storeByReferenceIsUnsupportedWithAClearMessage() {
    CacheManager manager = fixture.manager(redis.uriWithPrefix(prefix));
    var config = StringCaches.config().setStoreByValue(false);

    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> manager.createCache("byReference", config));

    assertTrue(e.getMessage().contains("store-by-reference"), e.getMessage());
    assertTrue(e.getMessage().contains("storeByValue"), e.getMessage());
    assertNull(manager.getCache("byReference"));
  }

  @Test
  void nonSerializableValueIsRefusedBeforeAnythingReachesRedis() {
    CacheManager manager = fixture.manager(redis.uriWithPrefix(prefix));
    Cache<String, Object> cache = manager.createCache("objects",
        new MutableConfiguration<String, Object>().setTypes(String.class, Object.class));

    CacheException e = assertThrows(CacheException.class,
        () -> cache.put("k", new NotSerializable()));

    assertTrue(e.getMessage().contains(NotSerializable.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("is not Serializable"), e.getMessage());
    assertTrue(e.getMessage().contains("implement java.io.Serializable"), e.getMessage());
    assertEquals(0L, raw.commands().exists(utf8(prefix + ":objects:k")));
    assertTrue(raw.keys(prefix + ":objects:*").isEmpty(),
        "the cache has keys after a refused put");
  }

  @Test
  void jsonCodecOnUntypedCacheIsRefusedAtCreationTellingToDeclareTypes() {
    CacheManager manager = fixture.manager(redis.uriWithPrefix(prefix));
    var config = new StepperConfiguration<Object, Object>().setValueCodec(Codecs.json());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> manager.createCache("untypedJson", config));

    assertTrue(e.getMessage().contains("setTypes"), e.getMessage());
    // A half-made cache must not linger under the name the caller will retry with.
    assertNull(manager.getCache("untypedJson"));
  }

  private static void assertMessageMatchesRedis(CacheException e, byte[] corrupted, byte[] now) {
    boolean leftAsItWas = Arrays.equals(corrupted, now);
    String state = now == null ? "nothing (the entry was removed)"
        : leftAsItWas ? "the corrupted bytes" : "new bytes (the entry was overwritten)";
    assertEquals(leftAsItWas, e.getMessage().contains("It was left as it is"),
        "Redis now holds " + state + " at the key, but the message says: " + e.getMessage());
  }

  private Cache<String, String> stringCache(String name) {
    return fixture.manager(redis.uriWithPrefix(prefix)).createCache(name, StringCaches.config());
  }

  /** Deliberately not Serializable. */
  static final class NotSerializable {
  }
}

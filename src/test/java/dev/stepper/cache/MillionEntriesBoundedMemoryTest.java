package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisTest;
import io.lettuce.core.ScriptOutputType;
import java.net.URI;
import java.util.Iterator;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cache of 1,000,000 entries can be iterated and cleared in a small heap: both stream the keys a
 * SCAN batch at a time. Runs in its own surefire execution with {@code -Xmx64m}, where holding the
 * keys (let alone the entries) at once would run out of memory.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
class MillionEntriesBoundedMemoryTest {

  private static final int ENTRIES = 1_000_000;

  @RegisterExtension
  static final PrivateRedis REDIS = new PrivateRedis("a million keys belong on a server of their own");

  @BeforeAll
  static void fill() {
    // Filled inside Redis: a million client round trips would dominate the test.
    REDIS.raw().commands().eval("for i = 1, " + ENTRIES
        + " do redis.call('SET', 'big:huge:k' .. i, i) end", ScriptOutputType.STATUS);
  }

  @Test
  void iteratesAndClearsAMillionEntriesInASmallHeap() {
    try (CacheManager manager = Caching.getCachingProvider().getCacheManager(
        URI.create(REDIS.server().uri() + "?prefix=big"), getClass().getClassLoader())) {
      var config = new StepperConfiguration<String, String>().setValueCodec(Codecs.string());
      config.setTypes(String.class, String.class);
      Cache<String, String> cache = manager.createCache("huge", config);

      long count = 0;
      long sum = 0;
      for (Iterator<Cache.Entry<String, String>> it = cache.iterator(); it.hasNext(); ) {
        Cache.Entry<String, String> entry = it.next();
        assertEquals("k" + entry.getValue(), entry.getKey());
        count++;
        sum += Long.parseLong(entry.getValue());
      }
      assertEquals(ENTRIES, count);
      // every index exactly once, without remembering which were seen
      assertEquals((long) ENTRIES * (ENTRIES + 1) / 2, sum);

      cache.clear();
      assertEquals(0, REDIS.raw().commands().dbsize());
    }
  }
}

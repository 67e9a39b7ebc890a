package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Pure value tests: no server needed. */
class RedisEndpointTest {

  private static RedisEndpoint endpoint(String uri) {
    return RedisEndpoint.of(RedisEndpoint.Source.REDIS_URL, URI.create(uri));
  }

  @Test
  void hostAndPortComeFromTheUriWithTheRedisDefaultPort() {
    RedisEndpoint explicit = endpoint("redis://10.1.2.3:7001/2");
    assertEquals("10.1.2.3", explicit.host());
    assertEquals(7001, explicit.port());
    assertEquals(6379, endpoint("rediss://cache.example.com").port());
  }

  @Test
  void uriWithPrefixAddsTheQueryParameter() {
    assertEquals(URI.create("redis://127.0.0.1:6379?prefix=t-a-1"),
        endpoint("redis://127.0.0.1:6379").uriWithPrefix("t-a-1"));
    assertEquals(URI.create("redis://127.0.0.1:6379/3?prefix=p"),
        endpoint("redis://127.0.0.1:6379/3").uriWithPrefix("p"));
  }

  @Test
  void uriWithPrefixKeepsAnExistingQueryAndFragmentAndReplacesAnOldPrefix() {
    RedisEndpoint e = endpoint("rediss://u:p%40ss@h:6380/1?timeout=5s&prefix=old&clientName=x#frag");
    assertEquals("rediss://u:p%40ss@h:6380/1?timeout=5s&clientName=x&prefix=new#frag",
        e.uriWithPrefix("new").toString());
  }

  @Test
  void uriWithPrefixPercentEncodesTheValue() {
    URI uri = endpoint("redis://h:1?a=b").uriWithPrefix("a b&c=d/é");
    assertEquals("a=b&prefix=a%20b%26c%3Dd%2F%C3%A9", uri.getRawQuery());
    assertEquals("a=b&prefix=a b&c=d/é", uri.getQuery());
  }

  @Test
  void uriWithPrefixRejectsAnEmptyPrefix() {
    assertThrows(IllegalArgumentException.class, () -> endpoint("redis://h:1").uriWithPrefix(""));
  }

  @Test
  void uniquePrefixIsSafeAndUnique() {
    String a = RedisEndpoint.uniquePrefix("CacheTest#put(x)");
    String b = RedisEndpoint.uniquePrefix("CacheTest#put(x)");
    assertTrue(a.matches("t-CacheTest-put-x-[0-9a-f]{8}"), a);
    assertNotEquals(a, b);
    assertTrue(RedisEndpoint.uniquePrefix(null).matches("t-[0-9a-f]{8}"));
    assertTrue(RedisEndpoint.uniquePrefix("???").matches("t-[0-9a-f]{8}"));
    assertTrue(RedisEndpoint.uniquePrefix("x".repeat(500)).length() < 60);
  }

  @Test
  void describeRedactsThePassword() {
    String described = endpoint("redis://alice:s3cret@h:6379/0?timeout=1s").describe();
    assertTrue(described.contains("redis://alice:***@h:6379/0?timeout=1s"), described);
    assertFalse(described.contains("s3cret"), described);
    assertTrue(described.startsWith("REDIS_URL"), described);
  }

  @Test
  void redactHidesABarePasswordAndLeavesCredentialFreeUrisAlone() {
    assertEquals("rediss://***@h:6380", RedisEndpoint.redact("rediss://s3cret@h:6380"));
    assertEquals("redis://:***@h", RedisEndpoint.redact("redis://:s3cret@h"));
    assertEquals("redis://h:6379/0", RedisEndpoint.redact("redis://h:6379/0"));
    assertEquals("redis://h:1?x=a@b", RedisEndpoint.redact("redis://h:1?x=a@b"));
  }

  @Test
  void onlyRedisUrlServersAreShared() {
    assertTrue(endpoint("redis://h").isShared());
    assertFalse(RedisEndpoint.of(RedisEndpoint.Source.REDIS_SERVER_PROCESS, URI.create("redis://h")).isShared());
  }
}

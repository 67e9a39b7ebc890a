package dev.stepper.cache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value the JDK codec could not read back is refused by the write, with nothing stored and a
 * message that says where to allow the class: the code's {@code Codecs.jdk(…)}, or the {@code allow:}
 * key of the configuration file the manager came from. Types nested in the declared type, such as
 * a record's own records, are allowed with it.
 */
@RedisTest
@Timeout(30)
class AllowListAtWriteTest {

  /** A value type as an application declares it, holding a record of its own. */
  public record Product(String sku, Supplier supplier) implements Serializable {
    /** Nested in the declared type, so allowed with it. */
    public record Supplier(String name) implements Serializable {}
  }

  /** Not on any allow-list. */
  public record Unlisted(String name) implements Serializable {}

  /** Allowed by name, but its superclass is not: reading it back would need both. */
  public static class Parent implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The class a pattern allows. */
  public static final class Child extends Parent {
    private static final long serialVersionUID = 1L;
  }

  @TempDir
  Path dir;

  private final ManagerFixture fixture = new ManagerFixture();
  private RawRedis raw;
  private String prefix;
  private URI uri;

  @BeforeEach
  void open(RedisEndpoint redis) {
    raw = fixture.own(new RawRedis(redis.uri()));
    prefix = RedisEndpoint.uniquePrefix("allow-write");
    uri = redis.uriWithPrefix(prefix);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aRecordNestedInTheDeclaredTypeIsStoredAndReadBack() {
    var config = new MutableConfiguration<String, Product>().setTypes(String.class, Product.class);
    Cache<String, Product> products = fixture.manager(uri).createCache("products", config);
    var product = new Product("sku-1", new Product.Supplier("Acme"));

    products.put("sku-1", product);

    assertEquals(product, products.get("sku-1"));
  }

  @Test
  void aValueHoldingAClassOffTheListIsRefusedByThePutAndNothingIsStored() {
    var config = new MutableConfiguration<String, Object>().setTypes(String.class, Object.class);
    Cache<String, Object> cache = fixture.manager(uri).createCache("values", config);

    var e = assertThrows(CacheException.class,
        () -> cache.put("k", List.of(Map.of("inner", new Unlisted("x")))));

    assertMessage(e, "Cannot store a value in cache values", "class " + Unlisted.class.getName()
        + " is not on the cache's deserialization allow-list", "nothing was stored",
        "Codecs.jdk(\"" + Unlisted.class.getName() + "\")",
        "stepper.cache.serialization.allow");
    assertEquals(List.of(), raw.keys(prefix + ":*"), "Redis is left as it was");
    assertNull(cache.get("k"));
  }

  @Test
  void aSuperclassOffTheListIsRefusedAsReadingBackWould() {
    var config = new StepperConfiguration<String, Object>()
        .setValueCodec(Codecs.jdk(Child.class.getName()));
    config.setTypes(String.class, Object.class);
    Cache<String, Object> cache = fixture.manager(uri).createCache("children", config);

    var e = assertThrows(CacheException.class, () -> cache.put("k", new Child()));

    assertMessage(e, "class " + Parent.class.getName() + " is not on");
    assertEquals(List.of(), raw.keys(prefix + ":*"));
  }

  @Test
  void aManagerFromAFileNamesTheFilesAllowKey() throws IOException {
    Path file = dir.resolve("stepper-cache.yaml");
    Files.writeString(file, """
        redis: {uri: "%s"}
        caches:
          values: {}
        """.formatted(uri));
    CacheManager manager = fixture.own(Caching.getCachingProvider().getCacheManager(file.toUri(),
        getClass().getClassLoader()));
    Cache<Object, Object> cache = manager.getCache("values");

    var e = assertThrows(CacheException.class, () -> cache.put("k", new Unlisted("x")));

    assertMessage(e, "nothing was stored", "Allow it in " + file.toUri(),
        "'allow: [" + Unlisted.class.getName() + "]'", "dev.stepper.cache.codec.**",
        "under caches.values", "under default for every cache");
    assertEquals(List.of(), raw.keys(prefix + ":*"));

    Files.writeString(file, """
        redis: {uri: "%s"}
        caches:
          values: {allow: [dev.stepper.cache.codec.**]}
        """.formatted(uri));
    manager.close();
    CacheManager fixed = fixture.own(Caching.getCachingProvider().getCacheManager(file.toUri(),
        getClass().getClassLoader()));
    fixed.getCache("values").put("k", new Unlisted("x"));
    assertEquals(new Unlisted("x"), fixed.getCache("values").get("k"), "allowed as the message said");
  }

  private static void assertMessage(Exception e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "no '" + fragment + "' in: " + e.getMessage());
    }
  }
}

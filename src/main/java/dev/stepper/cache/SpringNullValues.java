package dev.stepper.cache;

import dev.stepper.cache.codec.Codec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Spring's marker for a cached {@code null} ({@code org.springframework.cache.support.NullValue}),
 * stored as a few fixed bytes whatever the cache's value type and codec.
 *
 * <p>Spring's cache abstraction stores this marker when an annotated method returns {@code null};
 * a cache typed for the method's return type, or one whose codec could not read the marker back,
 * would otherwise refuse it after the method has run. Spring is found by class name, so no Spring
 * class is needed without Spring; a JVM without Spring reads the marker as an absent entry.
 */
final class SpringNullValues {

  static final String CLASS_NAME = "org.springframework.cache.support.NullValue";

  /** No codec writes these: JDK serialization starts with 0xACED, JSON with text, not 0x00. */
  private static final byte[] STORED = "\0spring:NullValue".getBytes(StandardCharsets.UTF_8);

  private SpringNullValues() {}

  static boolean is(Object value) {
    return value != null && value.getClass().getName().equals(CLASS_NAME);
  }

  /** @return the codec, also storing and reading back Spring's marker */
  static <V> Codec<V> around(Codec<V> values, ClassLoader classLoader) {
    return new Codec<>() {
      private volatile Object marker;

      @Override
      public byte[] encode(V value) {
        if (is(value)) {
          marker = value;
          return STORED.clone();
        }
        return values.encode(value);
      }

      @Override
      @SuppressWarnings("unchecked")
      public V decode(byte[] bytes) {
        if (!Arrays.equals(bytes, STORED)) {
          return values.decode(bytes);
        }
        Object known = marker;
        if (known == null) {
          known = load(classLoader);
          marker = known;
        }
        return (V) known;
      }
    };
  }

  /** @return Spring's one marker instance, or {@code null} where Spring is not present */
  private static Object load(ClassLoader classLoader) {
    try {
      return Class.forName(CLASS_NAME, true, classLoader).getField("INSTANCE").get(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }
}

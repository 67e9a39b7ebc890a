package dev.stepper.cache.codec;

import java.util.List;

/**
 * The built-in codecs.
 *
 * <p>Caches use {@link #jdk(String...)} by default, and {@link #string()} for keys declared as
 * {@code String}.
 */
public final class Codecs {

  private Codecs() {}

  /**
   * JDK serialization for any {@code Serializable} type. Reading back is restricted to an
   * allow-list: common JDK value types, the type the cache declares, the patterns in the system
   * property {@code stepper.cache.serialization.allow} and the given patterns.
   *
   * @param allowed more classes to allow: {@code com.acme.Report}, {@code com.acme.*} (a package),
   *     {@code com.acme.**} (with subpackages) or {@code com.acme.Report*}
   * @return the factory
   * @throws IllegalArgumentException if a pattern is not of these forms
   */
  public static CodecFactory jdk(String... allowed) {
    var patterns = List.of(allowed);
    patterns.forEach(AllowList::validate);
    return new JdkFactory(patterns);
  }

  /**
   * Jackson JSON of the declared type, readable with {@code redis-cli}. Modules on the class path
   * (such as JSR-310 dates) are registered. The cache must declare its types.
   *
   * @return the factory
   */
  public static CodecFactory json() {
    return JsonFactory.INSTANCE;
  }

  /**
   * UTF-8 text, for {@code String} keys or values.
   *
   * @return the factory
   */
  public static CodecFactory string() {
    return StringFactory.INSTANCE;
  }

  /**
   * The key codec a cache uses unless told otherwise: keys declared as {@code String} are their
   * text, so that their Redis keys read as written.
   *
   * @param keyType the declared key type
   * @param otherwise the codec for every other key type
   * @return the factory
   */
  public static CodecFactory defaultForKeys(Class<?> keyType, CodecFactory otherwise) {
    return keyType == String.class ? string() : otherwise;
  }

  private record JdkFactory(List<String> allowed) implements CodecFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public <T> Codec<T> create(Class<T> type, ClassLoader classLoader) {
      return new JdkSerializationCodec<>(type, classLoader, AllowList.of(type, allowed));
    }
  }

  private enum JsonFactory implements CodecFactory {
    INSTANCE;

    @Override
    public <T> Codec<T> create(Class<T> type, ClassLoader classLoader) {
      return new JsonCodec<>(type, classLoader);
    }
  }

  private enum StringFactory implements CodecFactory {
    INSTANCE;

    @Override
    @SuppressWarnings("unchecked")
    public <T> Codec<T> create(Class<T> type, ClassLoader classLoader) {
      if (!type.isAssignableFrom(String.class)) {
        throw new IllegalArgumentException("The string codec handles String, not " + type.getName());
      }
      return (Codec<T>) StringCodec.INSTANCE;
    }
  }
}

package dev.stepper.cache.codec;

import java.io.Serializable;

/**
 * Makes the codec of one cache's keys or values.
 *
 * <p>Factories are part of a cache's configuration, which JCache requires to be serializable, and
 * they are compared with {@code equals} when configurations are compared.
 */
public interface CodecFactory extends Serializable {

  /**
   * Creates the codec.
   *
   * @param type the type the cache declares for what this codec handles ({@code Object.class} when
   *     the configuration sets no type)
   * @param classLoader the cache manager's class loader, to be used to resolve classes on decoding
   * @param <T> the type
   * @return a thread-safe codec
   * @throws IllegalArgumentException if this codec cannot handle the declared type
   */
  <T> Codec<T> create(Class<T> type, ClassLoader classLoader);
}

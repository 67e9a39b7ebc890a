package dev.stepper.cache.codec;

/**
 * Turns objects of one type into bytes and back.
 *
 * <p>Implementations are thread-safe. A codec used for keys must be deterministic: equal keys
 * always encode to the same bytes, because the bytes become part of the Redis key. Failures are
 * reported as {@link CodecException}; the cache adds which entry was concerned.
 *
 * @param <T> the type of the objects
 */
public interface Codec<T> {

  /**
   * Encodes a value.
   *
   * @param value never {@code null}
   * @return the bytes, never {@code null}
   * @throws CodecException if the value cannot be encoded
   */
  byte[] encode(T value);

  /**
   * Decodes bytes made by {@link #encode}.
   *
   * @param bytes never {@code null}
   * @return the value, never {@code null}
   * @throws CodecException if the bytes cannot be decoded or name a type that is not allowed
   */
  T decode(byte[] bytes);
}

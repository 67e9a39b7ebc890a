package dev.stepper.cache;

import dev.stepper.cache.codec.Codec;
import dev.stepper.cache.codec.CodecException;
import dev.stepper.cache.redis.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache's key and value codecs, with the type checks and error messages that name the cache
 * and the Redis key concerned.
 */
final class EntryCodec<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(EntryCodec.class);

  private final String cacheName;
  private final KeyLayout layout;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final Codec<K> keys;
  private final Codec<V> values;

  EntryCodec(String cacheName, KeyLayout layout, Class<K> keyType, Class<V> valueType,
      Codec<K> keys, Codec<V> values) {
    this.cacheName = cacheName;
    this.layout = layout;
    this.keyType = keyType;
    this.valueType = valueType;
    this.keys = keys;
    this.values = values;
  }

  Codec<K> keyCodec() {
    return keys;
  }

  Codec<V> valueCodec() {
    return values;
  }

  byte[] key(K key) {
    check(key, keyType, "key");
    try {
      return keys.encode(key);
    } catch (CodecException e) {
      throw new CacheException("Cannot store key " + key + " in cache " + cacheName + ": "
          + e.getMessage(), e);
    }
  }

  byte[] value(V value) {
    check(value, valueType, "value");
    try {
      return values.encode(value);
    } catch (CodecException e) {
      throw new CacheException("Cannot store a value in cache " + cacheName + ": "
          + e.getMessage(), e);
    }
  }

  private void check(Object object, Class<?> type, String what) {
    if (!type.isInstance(object)) {
      throw new ClassCastException("Cache " + cacheName + " holds " + what + "s of type "
          + type.getName() + ", not " + object.getClass().getName());
    }
  }

  /**
   * Keys decoded from a SCAN batch.
   *
   * @param keys the keys this cache's codec could read
   * @param encodedKeys the encoded form of each of those
   * @param unreadable the encoded keys it could not read
   * @param problem why the first of those could not be read, naming its Redis key; {@code null}
   *     if none
   */
  record DecodedKeys<K>(List<K> keys, List<byte[]> encodedKeys, List<byte[]> unreadable,
      String problem) {}

  /**
   * Decodes the keys a SCAN found. A key this codec cannot read was not written by this cache's
   * configuration; it is set apart rather than ending the whole walk, and the caller says what it
   * did with it.
   */
  DecodedKeys<K> decodeKeys(List<byte[]> encodedKeys) {
    var decoded = new ArrayList<K>(encodedKeys.size());
    var kept = new ArrayList<byte[]>(encodedKeys.size());
    var unreadable = new ArrayList<byte[]>();
    String problem = null;
    for (byte[] encodedKey : encodedKeys) {
      try {
        decoded.add(keys.decode(encodedKey));
        kept.add(encodedKey);
      } catch (CodecException e) {
        if (problem == null) {
          problem = "Redis key \"" + layout.describe(encodedKey) + "\": " + e.getMessage();
        }
        unreadable.add(encodedKey);
      }
    }
    return new DecodedKeys<>(decoded, kept, unreadable, problem);
  }

  /** @return the value, or {@code null} if {@code bytes} is */
  V decodeValue(byte[] encodedKey, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return values.decode(bytes);
    } catch (CodecException e) {
      throw unreadable("value", encodedKey, e);
    }
  }

  /**
   * Decodes the value a write replaced or removed. The write has happened whatever the bytes say,
   * so unreadable bytes are logged and give {@code null} (events then carry no old value).
   */
  V decodeReplaced(byte[] encodedKey, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return values.decode(bytes);
    } catch (CodecException e) {
      LOG.warn("Cache {}: the value replaced at Redis key \"{}\" could not be read: {}", cacheName,
          layout.describe(encodedKey), e.getMessage());
      return null;
    }
  }

  /**
   * The failure of an operation that must return a replaced value it cannot read.
   *
   * @param operation what was applied, such as {@code getAndPut}
   */
  CacheException replacedUnreadable(String operation, byte[] encodedKey, byte[] bytes) {
    CodecException cause = null;
    try {
      values.decode(bytes);
    } catch (CodecException e) {
      cause = e;
    }
    return new CacheException(operation + " was applied to Redis key \""
        + layout.describe(encodedKey) + "\" of cache " + cacheName + ", but the value it replaced"
        + " cannot be read" + (cause == null ? "" : ": " + cause.getMessage()), cause);
  }

  private CacheException unreadable(String what, byte[] encodedKey, CodecException e) {
    return new CacheException("Cannot read the " + what + " stored at Redis key \""
        + layout.describe(encodedKey) + "\" of cache " + cacheName + ": " + e.getMessage()
        + ". It was left as it is; delete it, or configure the codec that wrote it.", e);
  }
}

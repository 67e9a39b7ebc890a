package dev.stepper.cache;

import dev.stepper.cache.codec.Codec;
import dev.stepper.cache.codec.CodecException;
import dev.stepper.cache.redis.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
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
  private final UnaryOperator<String> allowAdvice;

  /**
   * @param allowAdvice says, for a class an allow-list refused, where this cache's configuration
   *     allows it
   */
  EntryCodec(String cacheName, KeyLayout layout, Class<K> keyType, Class<V> valueType,
      Codec<K> keys, Codec<V> values, UnaryOperator<String> allowAdvice) {
    this.cacheName = cacheName;
    this.layout = layout;
    this.keyType = keyType;
    this.valueType = valueType;
    this.keys = keys;
    this.values = values;
    this.allowAdvice = allowAdvice;
  }

  /** @return the entry's Redis key as {@code redis-cli} prints it, for messages */
  String describe(byte[] encodedKey) {
    return layout.describe(encodedKey);
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
          + explain(e, "key"), e);
    }
  }

  byte[] value(V value) {
    if (!SpringNullValues.is(value)) {
      check(value, valueType, "value");
    }
    try {
      return values.encode(value);
    } catch (CodecException e) {
      throw new CacheException("Cannot store a value in cache " + cacheName + ": "
          + explain(e, "value"), e);
    }
  }

  private void check(Object object, Class<?> type, String what) {
    if (!type.isInstance(object)) {
      throw new ClassCastException("Cache " + cacheName + " holds " + what + "s of type "
          + type.getName() + ", not " + object.getClass().getName() + springAdvice(object));
    }
  }

  /** Spring passes a method's arguments as a SimpleKey when it has several. */
  private String springAdvice(Object key) {
    if (!key.getClass().getName().equals("org.springframework.cache.interceptor.SimpleKey")) {
      return "";
    }
    return ". Spring's annotations make a SimpleKey of a method's arguments when it has several:"
        + " give the annotation a key that is a " + keyType.getSimpleName() + " (key = \"...\","
        + " or keyGenerator = \"...\" naming a KeyGenerator bean), or declare the cache without"
        + " key-type (keys of any Serializable type)";
  }

  /** The codec's message, with where to allow a refused class said for this configuration. */
  private String explain(CodecException e, String what) {
    if (e.refusedClass() == null) {
      return e.getMessage();
    }
    return "class " + e.refusedClass() + " is not on the cache's deserialization allow-list,"
        + " so the " + what + " could not be read back; nothing was stored. "
        + allowAdvice.apply(e.refusedClass());
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
    String where = "Cannot read the " + what + " stored at Redis key \""
        + layout.describe(encodedKey) + "\" of cache " + cacheName + ": ";
    if (e.refusedClass() != null) {
      return new CacheException(where + "class " + e.refusedClass() + " is not on the cache's"
          + " deserialization allow-list. " + allowAdvice.apply(e.refusedClass())
          + ". The entry was left as it is.", e);
    }
    return new CacheException(where + e.getMessage() + ". It was left as it is; delete it, or"
        + " give this cache the codec that wrote it.", e);
  }
}

/**
 * Turning keys and values into bytes and back.
 *
 * <p>{@link dev.stepper.cache.codec.Codec} is the small SPI a cache uses for its keys and for its
 * values; {@link dev.stepper.cache.codec.Codecs} hands out the built-in ones: JDK serialization
 * guarded by an allow-list, Jackson JSON for typed caches, and UTF-8 strings. A codec is chosen per
 * cache through a {@link dev.stepper.cache.codec.CodecFactory}, which is given the cache's declared
 * type and its manager's {@code ClassLoader}.
 *
 * <p>Depends on the JDK, Jackson and {@code javax.cache} (for {@code CacheException}) only; it knows
 * nothing of Redis.
 */
package dev.stepper.cache.codec;

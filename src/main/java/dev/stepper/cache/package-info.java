/**
 * Stepper Cache: a JCache (JSR-107) provider whose caches live in Redis.
 *
 * <p>The public API is small: {@link dev.stepper.cache.StepperCachingProvider}, found by
 * {@code Caching.getCachingProvider()}, and {@link dev.stepper.cache.StepperConfiguration}, a
 * {@code MutableConfiguration} that also chooses codecs. The cache manager, the cache and their
 * helpers here are package-private; applications use them through the {@code javax.cache} API.
 *
 * <p>This package wires the others together: {@code redis} (storage), {@code codec},
 * {@code event}, {@code management} and {@code swr}, whose stale-while-revalidate flow it carries
 * out ({@code Revalidation}, {@code GenerationJob}, {@code JobExecutor}). It never depends on
 * {@code report}, which is built on the public API only. It follows the specification's semantics for expiry,
 * statistics, events, loaders and writers, and keeps every single-key call to one Redis round trip
 * in the common case.
 */
package dev.stepper.cache;

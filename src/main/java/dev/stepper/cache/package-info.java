/**
 * Stepper Cache: a JCache (JSR-107) provider whose caches live in Redis.
 *
 * <p>The public API here is one class, {@link dev.stepper.cache.StepperCachingProvider}, found by
 * {@code Caching.getCachingProvider()}; a cache's own settings are a
 * {@link dev.stepper.cache.config.StepperConfiguration}. The cache manager, the cache and their
 * helpers here are package-private; applications use them through the {@code javax.cache} API.
 * {@code CacheFactory} is the one place where a cache is assembled from its parts.
 *
 * <p>This package is the top of the provider and wires the others together: {@code redis}
 * (storage), {@code codec}, {@code config} and {@code config.file}, {@code event},
 * {@code management} and {@code swr}, whose stale-while-revalidate flow it carries out
 * ({@code Revalidation}, {@code GenerationJob}, {@code JobExecutor}, the queue's
 * {@code JobWorkers} and the provider budgets' {@code BudgetedCalls}). That flow stays here
 * because it applies its writes through the cache's own write protocol, codec and events
 * ({@code CacheSteps}, {@code WriteProtocol}), which are package-private. It never depends on
 * {@code report}, which is built on the public API only. It follows the specification's semantics
 * for expiry, statistics, events, loaders and writers, and keeps every single-key call to one
 * Redis round trip in the common case.
 */
package dev.stepper.cache;

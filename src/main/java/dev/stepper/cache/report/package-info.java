/**
 * Commit-diary reports: the model (dehydrated, hydrated, failed), its key and JSON, the loader that
 * generates reports through a chain of providers, and {@link dev.stepper.cache.report.ReportCache},
 * a small typed facade over a {@code javax.cache.Cache}.
 *
 * <p>Built on the public API only: {@code javax.cache}, {@code dev.stepper.cache} (configuration),
 * {@code codec} and {@code swr}; Jackson for JSON and Lettuce's {@code RedisClient} type for
 * {@code getRedisClient()}. The provider's internals never depend on this package.
 */
package dev.stepper.cache.report;

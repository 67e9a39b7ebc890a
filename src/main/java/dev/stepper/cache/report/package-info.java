/**
 * Commit-diary reports: the model (dehydrated, hydrated, failed), its key and JSON, the loader that
 * generates reports through a chain of providers, and {@link dev.stepper.cache.report.ReportCache},
 * a small typed facade over a {@code javax.cache.Cache}.
 *
 * <p>Built on the public API only: {@code javax.cache}, {@code config}
 * ({@code StepperConfiguration}), {@code codec} and {@code swr}, and Jackson for JSON; it names no Lettuce type
 * ({@code getRedisClient} takes the client's class). The provider's internals never depend on
 * this package; only the configuration file's {@code loader.report} section does.
 */
package dev.stepper.cache.report;

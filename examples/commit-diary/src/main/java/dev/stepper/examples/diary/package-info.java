/**
 * The commit-diary demo, the README's first command
 * ({@code mvn -q -f examples/commit-diary compile exec:java}): a
 * small HTTP service, {@code GET /diary/{user}/{sha}}, whose annotated method
 * ({@link dev.stepper.examples.diary.CommitDiaries}, {@code @CacheResult} under Guice) is answered by
 * a stale-while-revalidate report cache declared in {@code src/main/resources/stepper-cache.yaml}:
 * 202 with a placeholder while a report is generated, 200 with {@code X-Cache: fresh|stale} and
 * {@code Age} when it is there, 503 with {@code Retry-After} when generation failed.
 *
 * <p>Reports describe real commits of a local git repository ({@link
 * dev.stepper.examples.diary.GitCommits}, which runs {@code git}), written by a chain of providers:
 * {@link dev.stepper.examples.diary.FlakyProvider}, a stand-in for a remote AI service that is often
 * down, then {@link dev.stepper.examples.diary.LocalSummariser}, which needs no network.
 *
 * <p>Depends on the provider's public API only ({@code javax.cache}, {@code dev.stepper.cache.report},
 * {@code dev.stepper.cache.swr}, the configuration file format), on the JSR-107 annotations'
 * reference implementation for Guice, on Jackson, the JDK's HTTP server and client, and on
 * the provider's published test support ({@code dev.stepper.cache.testing}, the tests-classifier
 * jar) for a Redis: {@code REDIS_URL}, else one started like the tests start it.
 */
package dev.stepper.examples.diary;

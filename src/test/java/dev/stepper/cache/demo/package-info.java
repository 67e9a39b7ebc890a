/**
 * The commit-diary demo, the README's first command ({@code mvn -q test-compile exec:java}): a
 * small HTTP service, {@code GET /diary/{user}/{sha}}, whose annotated method
 * ({@link dev.stepper.cache.demo.CommitDiaries}, {@code @CacheResult} under Guice) is answered by
 * a stale-while-revalidate report cache declared in {@code src/test/resources/demo/stepper-cache.yaml}:
 * 202 with a placeholder while a report is generated, 200 with {@code X-Cache: fresh|stale} and
 * {@code Age} when it is there, 503 with {@code Retry-After} when generation failed.
 *
 * <p>Reports describe real commits of a local git repository ({@link
 * dev.stepper.cache.demo.GitCommits}, which runs {@code git}), written by a chain of providers:
 * {@link dev.stepper.cache.demo.FlakyProvider}, a stand-in for a remote AI service that is often
 * down, then {@link dev.stepper.cache.demo.LocalSummariser}, which needs no network.
 *
 * <p>Depends on the provider's public API only ({@code javax.cache}, {@code dev.stepper.cache.report},
 * {@code dev.stepper.cache.swr}, the configuration file format), on the JSR-107 annotations'
 * reference implementation for Guice, on Jackson, the JDK's HTTP server and client, and on
 * {@code dev.stepper.cache.testing} for a Redis ({@code REDIS_URL}, else one started like the
 * tests start it). Test scope: not shipped.
 */
package dev.stepper.cache.demo;

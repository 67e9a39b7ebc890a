/**
 * JMH benchmarks, run against a real Redis ({@code REDIS_URL}, else one started like the tests
 * do): {@code mvn -q test-compile exec:exec@jmh -Djmh.args=<regex>}. Figures are in the README.
 * Test scope: not shipped.
 *
 * <p>The comparison with the floor (raw Lettuce doing the same work) and the peer (Redisson's
 * JCache), {@code ClientComparisonBenchmark}, lives in {@code src/benchmark-peers/java}, compiled
 * only with the Maven profile {@code benchmark-peers}, which alone puts Redisson on the class path
 * (it registers a JCache provider of its own, so the tests must never see it):
 * {@code mvn -B -Pbenchmark-peers test-compile exec:exec@jmh-peers -Djmh.args="-f 1 -wi 2 -w 1 -i 3 -r 2"},
 * with {@code -Dstepper.bench.cluster=redis://127.0.0.1:7301} for a Redis Cluster. It first counts
 * the server commands each client sends per operation ({@code exec:exec@command-counts} alone).
 * Benchmarks always choose the provider by class name, never {@code Caching.getCachingProvider()}.
 */
package dev.stepper.cache.benchmark;

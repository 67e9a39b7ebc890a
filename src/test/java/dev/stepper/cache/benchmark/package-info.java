/**
 * JMH benchmarks, run against a real Redis ({@code REDIS_URL}, else one started like the tests
 * do): {@code mvn -q test-compile exec:exec@jmh -Djmh.args=<regex>}. Figures are in the README.
 * Test scope: not shipped.
 */
package dev.stepper.cache.benchmark;

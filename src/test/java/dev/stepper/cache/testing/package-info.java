/**
 * Test-only support that gives every test a real Redis server, never a mock.
 *
 * <p>The server is chosen once per JVM by {@code RedisProvisioner}: the {@code REDIS_URL}
 * environment variable if set, else Testcontainers when Docker is reachable, else a
 * {@code redis-server} found on {@code PATH}. JUnit 5 tests get it injected with
 * {@link dev.stepper.cache.testing.RedisTest @RedisTest}; the JSR-107 TCK gets it through the
 * {@code stepper.cache.uri} system property set by
 * {@link dev.stepper.cache.testing.RedisLauncherSessionListener}. Tests isolate themselves with
 * a unique key prefix ({@link dev.stepper.cache.testing.RedisEndpoint#uriWithPrefix}) rather
 * than by flushing, because a {@code REDIS_URL} server may be shared.
 *
 * <p>{@link dev.stepper.cache.testing.RedisCluster} is the Redis Cluster: once per JVM
 * ({@code REDIS_CLUSTER_URL}, else six {@code redis-server} processes joined by
 * {@code redis-cli --cluster create}) for classes annotated
 * {@link dev.stepper.cache.testing.RedisClusterTest @RedisClusterTest}, and privately for tests
 * that kill masters or move slots. {@code stepper.test.redis=cluster} points the TCK at it.
 *
 * <p>{@link dev.stepper.cache.testing.RedisSentinel} starts a private master, replica and three
 * Sentinels for failover tests; tests that only need a Sentinel-managed master may use
 * {@code REDIS_SENTINEL_URL} instead.
 *
 * <p>Two small helpers put JVM-wide state back after a test: {@code TemporaryProperty} for system
 * properties and {@code ContextClassLoader} for the thread's context class loader, which the
 * provider takes for its default.
 *
 * <p>This package depends on nothing from {@code src/main}, so it keeps working while the
 * provider itself is broken.
 */
package dev.stepper.cache.testing;

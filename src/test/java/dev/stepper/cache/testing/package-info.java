/**
 * Test support that gives every test a real Redis server, never a mock.
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
 * <p>{@link dev.stepper.cache.testing.RedisTestBed} serves tests of an application that reads a
 * YAML file: a prefix of its own handed to the file through system properties, and a raw look at
 * its keys.
 *
 * <p>Around the caches: {@link dev.stepper.cache.testing.ManagerFixture} opens cache managers
 * (also "in another JVM": on connections of their own) and cleans and closes them after the test;
 * {@link dev.stepper.cache.testing.RawRedis} looks at the keys behind the provider's back;
 * {@link dev.stepper.cache.testing.PrivateRedis} is a server of a test class's own, for tests that
 * need a fixed prefix or disturb the server; {@link dev.stepper.cache.testing.EventRecorder} and
 * {@link dev.stepper.cache.testing.StringCaches} are a listener that records what it hears and a
 * {@code String} cache's configuration.
 *
 * <p>Tests that need Redis are tagged {@value dev.stepper.cache.testing.RedisTest#TAG}
 * ({@code @RedisTest} and {@code @RedisClusterTest} carry the tag), and the build runs them apart
 * from the unit tests; in the unit run ({@code stepper.test.redis=none}) this package refuses to
 * reach or start a Redis, so a test that needs one and lacks the tag fails at once.
 *
 * <p>Published: the build packs this package into the tests-classifier jar
 * ({@code dev.stepper:stepper-cache}, type {@code test-jar}) for applications' tests and the
 * examples; they declare JUnit 5 and Testcontainers themselves.
 *
 * <p>This package depends on nothing from {@code src/main}, so it keeps working while the
 * provider itself is broken.
 */
package dev.stepper.cache.testing;

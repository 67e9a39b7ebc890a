package dev.stepper.cache.config.file;

import dev.stepper.cache.testing.RedisClusterTest;

/** {@link ConfigurationFileTest} on a Redis Cluster of three masters: the same guarantees over every shard. */
@RedisClusterTest
class ConfigurationFileOnClusterTest extends ConfigurationFileTest {
}

package dev.stepper.cache;

import dev.stepper.cache.testing.RedisClusterTest;

/** {@link CrossManagerVisibilityTest} on a Redis Cluster of three masters: the same guarantees over every shard. */
@RedisClusterTest
class CrossManagerVisibilityOnClusterTest extends CrossManagerVisibilityTest {
}

package dev.stepper.cache;

import dev.stepper.cache.testing.RedisClusterTest;

/** {@link RevalidationBackgroundLoaderTest} on a Redis Cluster of three masters: the same guarantees over every shard. */
@RedisClusterTest
class RevalidationBackgroundLoaderOnClusterTest extends RevalidationBackgroundLoaderTest {
}

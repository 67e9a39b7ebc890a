package dev.stepper.cache;

import dev.stepper.cache.testing.RedisClusterTest;

/** {@link RevalidationRefreshFailureTest} on a Redis Cluster of three masters: the same guarantees over every shard. */
@RedisClusterTest
class RevalidationRefreshFailureOnClusterTest extends RevalidationRefreshFailureTest {
}

package dev.stepper.cache;

import dev.stepper.cache.testing.RedisClusterTest;

/** {@link RevalidationHeartbeatTest} on a Redis Cluster of three masters: the same guarantees over every shard. */
@RedisClusterTest
class RevalidationHeartbeatOnClusterTest extends RevalidationHeartbeatTest {
}

package dev.stepper.cache;

import dev.stepper.cache.testing.RedisClusterTest;

/**
 * {@link RevalidationFleetTest} on a Redis Cluster of three masters: the queue and the budgets of
 * a cache share one slot by their hash tag, while its entries spread over every shard.
 */
@RedisClusterTest
class RevalidationFleetOnClusterTest extends RevalidationFleetTest {
}

package dev.stepper.cache.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which of Lettuce's topology changes make the near caches track again: only their own cluster's,
 * and only when its masters change, not when slots move between them or a replica comes and goes.
 */
class ClusterMasterChangesTest {

  private static final Set<String> OWN = Set.of("a", "b", "c", "a-replica");

  private static RedisClusterNode node(String id, int port, RedisClusterNode.NodeFlag flag,
      int... slots) {
    RedisClusterNode node = RedisClusterNode.of(id);
    node.setUri(RedisURI.create("127.0.0.1", port));
    node.setFlags(Set.of(flag));
    node.setSlots(Arrays.stream(slots).boxed().toList());
    return node;
  }

  private static RedisClusterNode master(String id, int port, int... slots) {
    return node(id, port, RedisClusterNode.NodeFlag.UPSTREAM, slots);
  }

  private static final List<RedisClusterNode> BEFORE = List.of(master("a", 7001, 1, 2),
      master("b", 7002, 3), master("c", 7003, 4), node("a-replica", 7004,
          RedisClusterNode.NodeFlag.REPLICA));

  @Test
  void slotsMovingBetweenTheSameMastersChangeNothingToTrack() {
    var after = List.of(master("a", 7001, 1), master("b", 7002, 2, 3), master("c", 7003, 4),
        BEFORE.get(3));
    assertFalse(ClusterConnection.changesMasters(new ClusterTopologyChangedEvent(BEFORE, after),
        OWN));
    assertFalse(ClusterConnection.changesMasters(new ClusterTopologyChangedEvent(BEFORE,
        BEFORE.subList(0, 3)), OWN), "a replica gone");
  }

  @Test
  void aPromotedReplicaOrAMovedMasterIsTrackedAgain() {
    var promoted = List.of(master("a-replica", 7004, 1, 2), master("b", 7002, 3),
        master("c", 7003, 4), node("a", 7001, RedisClusterNode.NodeFlag.FAIL));
    assertTrue(ClusterConnection.changesMasters(new ClusterTopologyChangedEvent(BEFORE, promoted),
        OWN));
    var moved = List.of(master("a", 7101, 1, 2), master("b", 7002, 3), master("c", 7003, 4));
    assertTrue(ClusterConnection.changesMasters(new ClusterTopologyChangedEvent(BEFORE, moved),
        OWN), "same node, another address");
    var emptied = List.of(master("a", 7001), master("b", 7002, 1, 2, 3), master("c", 7003, 4));
    assertTrue(ClusterConnection.changesMasters(new ClusterTopologyChangedEvent(BEFORE, emptied),
        OWN), "a master left with no slots serves nothing");
  }

  @Test
  void anotherClustersChangeIsNotThisOnes() {
    var other = List.of(master("x", 8001, 1), master("y", 8002, 2));
    var otherAfter = List.of(master("y", 8002, 1, 2));
    assertFalse(ClusterConnection.changesMasters(new ClusterTopologyChangedEvent(other,
        otherAfter), OWN));
  }
}

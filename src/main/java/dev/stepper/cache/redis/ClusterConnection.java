package dev.stepper.cache.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import java.util.List;
import java.util.Objects;

/**
 * A connection to a Redis Cluster: Lettuce sends each command to its key's master and follows
 * {@code MOVED} and {@code ASK}; node connections are made as needed.
 */
final class ClusterConnection implements Connection {

  private final StatefulRedisClusterConnection<byte[], byte[]> connection;

  ClusterConnection(StatefulRedisClusterConnection<byte[], byte[]> connection) {
    this.connection = connection;
  }

  @Override
  public StatefulConnection<byte[], byte[]> routed() {
    return connection;
  }

  @Override
  public boolean oneServer() {
    return false;
  }

  @Override
  public List<Server> masters() {
    return masterNodes().stream().map(this::server).toList();
  }

  /** @return the masters that serve slots and are not known to have failed, as Lettuce sees them */
  List<RedisClusterNode> masterNodes() {
    return connection.getPartitions().stream()
        .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
            && !node.is(RedisClusterNode.NodeFlag.FAIL))
        .toList();
  }

  /** @return a node as a server, with a connection to it */
  Server server(RedisClusterNode node) {
    return server(node.getUri().getHost(), node.getUri().getPort(), node.getNodeId());
  }

  /** @return the node at that address as a server, with a connection to it */
  Server server(String host, int port, String nodeId) {
    return new Server(nodeId, host + ":" + port, () -> connection.getConnection(host, port));
  }

  @Override
  public List<Server> mastersOf(List<byte[]> keys) {
    Partitions partitions = connection.getPartitions();
    return keys.stream().map(key -> partitions.getMasterBySlot(SlotHash.getSlot(key)))
        .filter(Objects::nonNull).distinct().map(this::server).toList();
  }

  @Override
  public void close() {
    connection.close();
  }
}

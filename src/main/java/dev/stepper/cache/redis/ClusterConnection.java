package dev.stepper.cache.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A connection to a Redis Cluster: Lettuce sends each command to its key's master and follows
 * {@code MOVED} and {@code ASK}; node connections are made as needed.
 */
final class ClusterConnection implements Connection {

  private final StatefulRedisClusterConnection<byte[], byte[]> connection;
  private final RedisClusterClient client;

  ClusterConnection(StatefulRedisClusterConnection<byte[], byte[]> connection,
      RedisClusterClient client) {
    this.connection = connection;
    this.client = client;
  }

  /**
   * Reloads Lettuce's view of the cluster now, waiting at most the timeout: a master that just
   * died is replaced in it before the next periodic refresh. If the reload fails or takes longer,
   * the view stays as it was, and the caller judges by it.
   */
  void reloadTopology(Duration timeout) {
    try {
      client.refreshPartitionsAsync().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The caller works with the view it has; that failing is its error to report.
    }
  }

  /**
   * Makes the connection to each master now rather than on its first command. Lettuce 7.7 refuses
   * a command redirected to a node whose connection is still being made, as if that node were
   * down (lettuce#3747), where 6.6 waited for it. A master that cannot be reached in half the
   * timeout is left to fail its own commands.
   *
   * @return this connection, once that is done
   */
  CompletableFuture<Connection> connectMasters(Duration timeout) {
    CompletableFuture<?>[] made = masterNodes().stream()
        .map(node -> connection.getConnectionAsync(node.getUri().getHost(),
            node.getUri().getPort()).exceptionally(failed -> null))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(made)
        .completeOnTimeout(null, timeout.toMillis() / 2, TimeUnit.MILLISECONDS)
        .thenApply(done -> this);
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
    return connection.getPartitions().stream().filter(ClusterConnection::servingMaster).toList();
  }

  private static boolean servingMaster(RedisClusterNode node) {
    return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()
        && !node.is(RedisClusterNode.NodeFlag.FAIL);
  }

  /**
   * Whether a topology change Lettuce announced is one of this cluster's and changes its masters,
   * so that tracking must start again on them. The event bus is shared by every manager of the
   * JVM, so other clusters' changes come by too. Slots that only move between the same masters
   * need nothing: Redis invalidates a key it migrates away, and the master it moved to, tracking
   * this connection already, tracks its next read there.
   */
  boolean changesMasters(ClusterTopologyChangedEvent event) {
    return changesMasters(event, connection.getPartitions().stream()
        .map(RedisClusterNode::getNodeId).collect(Collectors.toSet()));
  }

  /** {@link #changesMasters(ClusterTopologyChangedEvent)} given the node ids this cluster has. */
  static boolean changesMasters(ClusterTopologyChangedEvent event, Set<String> ownNodeIds) {
    boolean own = Stream.concat(event.before().stream(), event.after().stream())
        .anyMatch(node -> ownNodeIds.contains(node.getNodeId()));
    return own && !masters(event.before()).equals(masters(event.after()));
  }

  /** @return each serving master as its id and address */
  private static Set<String> masters(List<RedisClusterNode> nodes) {
    return nodes.stream().filter(ClusterConnection::servingMaster)
        .map(node -> node.getNodeId() + " " + node.getUri().getHost() + ":" + node.getUri().getPort())
        .collect(Collectors.toSet());
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

package dev.stepper.cache.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A manager's open connection to its Redis deployment: one server (also a Sentinel's master), or
 * a Redis Cluster whose commands Lettuce routes to each key's master.
 */
interface Connection {

  /** @return the connection that routes each command by its key, for any command with one */
  StatefulConnection<byte[], byte[]> routed();

  /**
   * @return whether every key lives on this one server, so that one command may carry the keys of
   *     a whole bulk call; on a cluster, commands carry one key each
   */
  boolean oneServer();

  /**
   * @return the servers that hold entries: the one server, or each master of the cluster as
   *     Lettuce last saw the topology, with a connection to it
   */
  List<Server> masters();

  /**
   * @param keys keys of entries
   * @return the masters that hold them, each once
   */
  List<Server> mastersOf(List<byte[]> keys);

  /** Closes the connection (and, on a cluster, every node connection). */
  void close();

  /**
   * A server that holds entries.
   *
   * @param id the cluster node id, or {@code ""} for a single server
   * @param address {@code host:port}, for messages
   * @param connection gives a connection to that server alone, connecting if need be (which may
   *     fail)
   */
  record Server(String id, String address,
      Supplier<StatefulRedisConnection<byte[], byte[]>> connection) {}
}

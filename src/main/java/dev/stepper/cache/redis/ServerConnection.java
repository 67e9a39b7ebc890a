package dev.stepper.cache.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** A connection to one server: a plain Redis, or the master a Sentinel names. */
final class ServerConnection implements Connection {

  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final List<Server> masters;

  ServerConnection(StatefulRedisConnection<byte[], byte[]> connection, String address) {
    this.connection = connection;
    this.masters = List.of(new Server("", address, () -> connection));
  }

  @Override
  public StatefulConnection<byte[], byte[]> routed() {
    return connection;
  }

  @Override
  public boolean oneServer() {
    return true;
  }

  @Override
  public List<Server> masters() {
    return masters;
  }

  @Override
  public List<Server> mastersOf(List<byte[]> keys) {
    return masters;
  }

  @Override
  public void close() {
    connection.close();
  }
}

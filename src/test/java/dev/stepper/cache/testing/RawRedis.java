package dev.stepper.cache.testing;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain Lettuce connection that works on Redis behind the caches' back: it reads and writes raw
 * keys and values, reads the server's per-command call counts, and sends any other command a test
 * needs through {@link #commands()}. On a Redis Cluster (a seed list {@code redis://h:p1,h:p2}, or
 * one node of a cluster) it is a cluster connection, so keys are routed to their masters and a
 * SCAN walks every master.
 */
public final class RawRedis implements AutoCloseable {

  private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_(\\S+):calls=(\\d+),",
      Pattern.MULTILINE);

  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterCommands<byte[], byte[]> commands;

  /** @param uri the server or the cluster's seed nodes, without the provider's own query parameters */
  public RawRedis(URI uri) {
    List<RedisURI> nodes = Arrays.stream(uri.getRawAuthority().split(","))
        .map(node -> RedisURI.create(uri.getScheme() + "://" + node)).toList();
    RedisClient server = RedisClient.create(nodes.get(0));
    StatefulRedisConnection<byte[], byte[]> first = server.connect(ByteArrayCodec.INSTANCE);
    if (nodes.size() == 1 && !first.sync().info("cluster").contains("cluster_enabled:1")) {
      client = server;
      connection = first;
      commands = first.sync();
      return;
    }
    first.close();
    server.shutdown();
    RedisClusterClient cluster = RedisClusterClient.create(nodes);
    StatefulRedisClusterConnection<byte[], byte[]> connected = cluster.connect(ByteArrayCodec.INSTANCE);
    client = cluster;
    connection = connected;
    commands = connected.sync();
  }

  public RedisClusterCommands<byte[], byte[]> commands() {
    return commands;
  }

  /** @return each master's own commands: all of them on a cluster, the one server otherwise */
  public List<RedisClusterCommands<byte[], byte[]>> masters() {
    return nodes(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM));
  }

  /** @return each node's own commands, replicas too: all of a cluster's, the one server otherwise */
  public List<RedisClusterCommands<byte[], byte[]>> nodes() {
    return nodes(node -> true);
  }

  private List<RedisClusterCommands<byte[], byte[]>> nodes(Predicate<RedisClusterNode> which) {
    if (!(connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
      return List.of(commands);
    }
    return cluster.getPartitions().stream().filter(which)
        .<RedisClusterCommands<byte[], byte[]>>map(node -> cluster.getConnection(node.getNodeId()).sync())
        .toList();
  }

  /** @return a new pub/sub connection of this client; the caller closes it */
  public StatefulRedisPubSubConnection<byte[], byte[]> subscriber() {
    return client instanceof RedisClusterClient cluster
        ? cluster.connectPubSub(ByteArrayCodec.INSTANCE)
        : ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
  }

  /** @return the bytes stored at the key (given as UTF-8 text), or {@code null} */
  public byte[] get(String key) {
    return commands().get(utf8(key));
  }

  /** Stores bytes at a key, as a client that knows nothing of JCache would. */
  public void set(String key, byte[] value) {
    commands().set(utf8(key), value);
  }

  /** @return every key matching the glob pattern, as UTF-8 text, walked with SCAN, sorted */
  public List<String> keys(String pattern) {
    List<String> keys = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(utf8(pattern)).limit(1_000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = commands().scan(cursor, args);
      page.getKeys().forEach(key -> keys.add(new String(key, StandardCharsets.UTF_8)));
      cursor = page;
    } while (!cursor.isFinished());
    keys.sort(null);
    return keys;
  }

  /** Zeroes the server's command statistics ({@code CONFIG RESETSTAT}). */
  public void resetStats() {
    commands().configResetstat();
  }

  /**
   * The calls per command since {@link #resetStats()}, from {@code INFO commandstats}, leaving out
   * the two commands this class itself sends to measure. Redis counts the commands a Lua script
   * runs as well as the ones clients send.
   *
   * @return command name (subcommands as {@code pubsub|numsub}) to calls
   */
  public Map<String, Long> commandCalls() {
    Map<String, Long> calls = new TreeMap<>();
    Matcher m = COMMAND_STAT.matcher(commands().info("commandstats"));
    while (m.find()) {
      calls.put(m.group(1), Long.parseLong(m.group(2)));
    }
    calls.remove("info");
    calls.remove("config|resetstat");
    return calls;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}

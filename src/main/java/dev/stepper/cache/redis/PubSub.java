package dev.stepper.cache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * A cache manager's subscriptions to its caches' event channels (and to their job queues' wake-ups),
 * over one pub/sub connection.
 *
 * <p>On a Redis Cluster, a published message reaches every node, so the event channel is
 * subscribed on one node only (Lettuce moves that connection to another node if its node goes
 * away); but a write script can count the subscribers of its own node only, so the manager also
 * subscribes to the cache's presence channel on every node, replicas included (one may become a
 * master), and again on every topology change.
 *
 * <p>Messages are handed to a single thread of their own, in arrival order: listener code must
 * never run on Lettuce's I/O thread, where a cache call would wait for itself. Lettuce
 * resubscribes after a reconnect; messages published while disconnected are lost, as with any
 * Redis pub/sub. Behind Sentinel the subscriptions move to a new connection when a new master is
 * elected ({@link #follow}), since the old connection would stay on the demoted master.
 */
public final class PubSub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PubSub.class);

  private final AbstractRedisClient client;
  private final RedisSettings settings;
  private final Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> opener;
  private final RedisPubSubAdapter<byte[], byte[]> listener;
  /** Replaced only by {@link #follow}; subscribing, following and closing are synchronized. */
  private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;
  /** Where the last {@link #follow} went, {@code host:port}. */
  private String followed;
  private boolean closed;
  /** Null on a single server, where the event channel's own subscribers are counted. */
  private final StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster;
  private final Disposable topologyChanges;
  private final Map<String, Consumer<byte[]>> handlers = new ConcurrentHashMap<>();
  private final Map<String, byte[]> presences = new ConcurrentHashMap<>();
  private final ExecutorService delivery;

  private PubSub(AbstractRedisClient client, RedisSettings settings,
      Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> opener,
      StatefulRedisPubSubConnection<byte[], byte[]> connection,
      StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
    this.client = client;
    this.settings = settings;
    this.opener = opener;
    this.connection = connection;
    this.cluster = cluster;
    this.topologyChanges = cluster == null ? null : client.getResources().eventBus().get()
        .ofType(ClusterTopologyChangedEvent.class)
        .subscribe(change -> presences.values().forEach(this::announcePresence));
    this.delivery = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "stepper-cache-events-" + settings.address());
      thread.setDaemon(true);
      return thread;
    });
    this.listener = new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] channel, byte[] message) {
        Consumer<byte[]> handler = handlers.get(new String(channel, StandardCharsets.UTF_8));
        if (handler != null) {
          delivery.execute(() -> deliver(handler, message));
        } else {
          dropUnwanted(channel);
        }
      }

      @Override
      public void subscribed(byte[] channel, long count) {
        if (!handlers.containsKey(new String(channel, StandardCharsets.UTF_8))) {
          dropUnwanted(channel);
        }
      }
    };
    connection.addListener(listener);
  }

  static PubSub onServer(RedisClient client, RedisSettings settings) {
    try {
      Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> opener =
          () -> client.connectPubSub(ByteArrayCodec.INSTANCE, settings.nodes().get(0));
      return new PubSub(client, settings, opener, opener.get(), null);
    } catch (RuntimeException e) {
      client.shutdown(0, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      throw RedisFailures.translate(e, settings, "Subscribing to cache events", false);
    }
  }

  static PubSub onCluster(RedisClusterClient client, RedisSettings settings) {
    try {
      StatefulRedisClusterPubSubConnection<byte[], byte[]> connection =
          client.connectPubSub(ByteArrayCodec.INSTANCE);
      return new PubSub(client, settings, () -> client.connectPubSub(ByteArrayCodec.INSTANCE),
          connection, connection);
    } catch (RuntimeException e) {
      client.shutdown(0, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      throw RedisFailures.translate(e, settings, "Subscribing to cache events", false);
    }
  }

  /**
   * Unsubscribes from a channel nobody here listens to any more: an unsubscribe that failed during
   * an outage comes back with Lettuce's resubscription, and every writer would keep publishing to
   * this JVM for nothing.
   */
  private void dropUnwanted(byte[] channel) {
    connection.async().unsubscribe(channel);
  }

  private void deliver(Consumer<byte[]> handler, byte[] message) {
    try {
      handler.accept(message);
    } catch (RuntimeException e) {
      LOG.warn("A cache event from Redis at {} could not be delivered", settings.address(), e);
    }
  }

  private void announcePresence(byte[] presence) {
    cluster.async().nodes(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)).commands()
        .subscribe(presence)
        .exceptionally(failure -> {
          LOG.debug("Subscribing to {} on a new cluster node failed",
              new String(presence, StandardCharsets.UTF_8), failure);
          return null;
        });
  }

  /**
   * Subscribes to a cache's events, waiting until Redis has confirmed it, and then until no writer
   * anywhere can still be skipping its events on an older finding that nobody listens (about
   * 100 ms, see {@link Audience}).
   *
   * @param layout the cache's keys and channels
   * @param handler receives each message, on the delivery thread
   * @throws javax.cache.CacheException if Redis did not confirm in time; nothing is subscribed
   */
  public void subscribe(KeyLayout layout, Consumer<byte[]> handler) {
    subscribeNow(layout, handler);
    Audience.awaitLeasesTakenBeforeNow();
  }

  private synchronized void subscribeNow(KeyLayout layout, Consumer<byte[]> handler) {
    String channel = layout.eventChannel();
    subscribe(channel, handler);
    if (cluster != null) {
      byte[] presence = utf8(layout.presenceChannel());
      presences.put(channel, presence);
      try {
        awaitConfirmed(cluster.async().nodes(node -> !node.is(RedisClusterNode.NodeFlag.FAIL))
            .commands().subscribe(presence), "Subscribing to " + layout.presenceChannel());
      } catch (RuntimeException e) {
        presences.remove(channel);
        unsubscribe(channel);
        throw e;
      }
    }
  }

  /**
   * Subscribes to one channel, waiting until Redis has confirmed it.
   *
   * @param channel the channel
   * @param handler receives each message, on the delivery thread
   * @throws javax.cache.CacheException if Redis did not confirm in time; nothing is subscribed
   */
  public synchronized void subscribe(String channel, Consumer<byte[]> handler) {
    handlers.put(channel, handler);
    try {
      awaitConfirmed(connection.async().subscribe(utf8(channel)), "Subscribing to " + channel);
    } catch (RuntimeException e) {
      handlers.remove(channel);
      throw e;
    }
  }

  /**
   * Unsubscribes from a cache's events, waiting until Redis has confirmed it.
   *
   * @param layout the cache's keys and channels
   */
  public synchronized void unsubscribe(KeyLayout layout) {
    String channel = layout.eventChannel();
    unsubscribe(channel);
    if (presences.remove(channel) != null) {
      awaitConfirmed(cluster.async().nodes(node -> !node.is(RedisClusterNode.NodeFlag.FAIL))
          .commands().unsubscribe(utf8(layout.presenceChannel())),
          "Unsubscribing from " + layout.presenceChannel());
    }
  }

  /**
   * Unsubscribes from one channel, waiting until Redis has confirmed it.
   *
   * @param channel the channel
   */
  public synchronized void unsubscribe(String channel) {
    handlers.remove(channel);
    awaitConfirmed(connection.async().unsubscribe(utf8(channel)), "Unsubscribing from " + channel);
  }

  /**
   * Moves the subscriptions to a new connection to the master the Sentinels now name, then closes
   * the old one. Only the first report of a master counts: every Sentinel announces it.
   *
   * @param host the new master's host, as the Sentinels announced it
   * @param port its port
   */
  synchronized void follow(String host, int port) {
    if (closed || (host + ":" + port).equals(followed)) {
      return;
    }
    followed = host + ":" + port;
    StatefulRedisPubSubConnection<byte[], byte[]> old = connection;
    try {
      StatefulRedisPubSubConnection<byte[], byte[]> fresh = opener.get();
      fresh.addListener(listener);
      if (!handlers.isEmpty()) {
        awaitConfirmed(fresh.async().subscribe(handlers.keySet().stream().map(PubSub::utf8)
            .toArray(byte[][]::new)), "Subscribing to cache events on the new master");
      }
      connection = fresh;
      old.closeAsync();
    } catch (RuntimeException e) {
      // The old connection stays; it reconnects to the new master once the old one is demoted.
      LOG.warn("Cannot move the cache event subscriptions to the new master {}:{}", host, port, e);
    }
  }

  private void awaitConfirmed(CompletionStage<?> confirmation, String what) {
    try {
      confirmation.toCompletableFuture().get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RedisFailures.translate(e, settings, what, false);
    } catch (Exception e) {
      throw RedisFailures.translate(e, settings, what, false);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    closed = true;
    handlers.clear();
    presences.clear();
    if (topologyChanges != null) {
      topologyChanges.dispose();
    }
    connection.close();
    client.shutdown(0, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    delivery.shutdown();
  }
}

package dev.stepper.cache.redis;

import dev.stepper.cache.config.NearCache;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * One cache manager's way to Redis: one connection that all its caches share (to one server, to
 * the master a Sentinel names, or to a Redis Cluster), opened on first use and closed with the
 * manager, plus a pub/sub connection once a listener needs it.
 *
 * <p>A {@code redis://host:port} URI may point at a node of a cluster: the server says so in its
 * handshake, and the connector then opens a cluster connection with that node as its seed.
 *
 * <p>Every call is bounded by the manager's timeout. Commands are sent in batches, one write per
 * batch. Once open, Lettuce keeps the connection up by itself, retrying at growing intervals (50 ms
 * doubling up to 500 ms) that all callers share; while it is down, commands fail at once. Commands
 * in flight when a connection drops fail too, and are never re-sent: Lettuce 6.6 would re-send
 * them after reconnecting, and a conditional write sent twice reports the wrong outcome (an entry
 * processor would then apply twice). A first connection that fails is retried on a later call,
 * no sooner than the same intervals allow, and calls in between fail at once with its cause.
 */
public final class RedisConnector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;
  /** Beyond the timeout when connecting, which Lettuce bounds itself: covers lost completions. */
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Adaptive topology refreshes at most this often; a failover is noticed within about it. */
  private static final Duration ADAPTIVE_REFRESH_LIMIT = Duration.ofSeconds(1);
  /** The periodic topology refresh, for changes no command runs into. */
  private static final Duration PERIODIC_REFRESH = Duration.ofSeconds(5);
  private static final int RECONNECTS_BEFORE_REFRESH = 2;

  private final RedisSettings settings;
  private final String origin = UUID.randomUUID().toString();
  private final ClientResources resources;
  private final Disposable reconnectFailures;
  /** A cluster's masters may have changed: near caches must be tracked on the new ones. */
  private final Disposable topologyChanges;
  private final RedisConnectionStateListener dropWatch = new DropWatch();
  private final Tracking tracking;
  private final RedisClient client;
  private final Set<AsyncCommand<byte[], byte[], ?>> inFlight = ConcurrentHashMap.newKeySet();
  /** The servers this manager's connections reached, whose reconnect failures it reports. */
  private final Set<SocketAddress> addresses = ConcurrentHashMap.newKeySet();
  private volatile RedisClusterClient clusterClient;
  private volatile Connection connection;
  private volatile Throwable lastReconnectFailure;
  private CompletableFuture<Connection> connecting;
  private Throwable lastConnectFailure;
  private int failedConnects;
  private long nextConnectNanos;
  private PubSub pubSub;
  private SentinelWatch sentinelWatch;
  /** Where the command connection last connected to, to tell whether a new master is another. */
  private volatile SocketAddress commandAddress;
  private boolean closed;

  /**
   * Prepares the client; nothing is connected yet.
   *
   * @param settings where Redis is and how long to wait for it
   */
  public RedisConnector(RedisSettings settings) {
    this.settings = settings;
    this.resources = SharedResources.acquire();
    this.tracking = new Tracking(() -> connection().masters(), settings.address(),
        settings.timeout());
    this.reconnectFailures = resources.eventBus().get()
        .ofType(ReconnectFailedEvent.class)
        .filter(event -> addresses.contains(event.remoteAddress()))
        .subscribe(event -> lastReconnectFailure = event.getCause());
    this.topologyChanges = resources.eventBus().get()
        .ofType(ClusterTopologyChangedEvent.class)
        .filter(event -> connection instanceof ClusterConnection cluster
            && cluster.changesMasters(event))
        .subscribe(event -> tracking.retrack());
    if (settings.topology() == RedisSettings.Topology.CLUSTER) {
      this.client = null;
      this.clusterClient = newClusterClient(settings.nodes(), true);
    } else {
      this.client = RedisClient.create(resources, settings.nodes().get(0));
      client.setOptions(clientOptions(ClientOptions.builder(), true).build());
      client.addListener(dropWatch);
    }
  }

  private RedisClient pubSubClient() {
    RedisClient pubSubClient = RedisClient.create(resources);
    pubSubClient.setOptions(clientOptions(ClientOptions.builder(), false).build());
    return pubSubClient;
  }

  private RedisClusterClient newClusterClient(List<RedisURI> seeds, boolean commands) {
    RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
    cluster.setOptions(clientOptions(ClusterClientOptions.builder(), commands)
        // Lettuce 6.6 refreshes on no trigger by default and 7.x on all of them: say it here.
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAdaptiveRefreshTrigger(RefreshTrigger.MOVED_REDIRECT,
                RefreshTrigger.ASK_REDIRECT, RefreshTrigger.PERSISTENT_RECONNECTS,
                RefreshTrigger.UNCOVERED_SLOT, RefreshTrigger.UNKNOWN_NODE)
            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_LIMIT)
            .refreshTriggersReconnectAttempts(RECONNECTS_BEFORE_REFRESH)
            .enablePeriodicRefresh(PERIODIC_REFRESH)
            .build())
        .build());
    if (commands) {
      cluster.addListener(dropWatch);
    }
    return cluster;
  }

  /**
   * @param commands whether the client carries the cache's commands, whose callers wait for them
   *     within the timeout and cancel them after it ({@link #sendOnce}): Lettuce's own timer for
   *     every command would only repeat that, at a cost in CPU per command; pub/sub subscriptions
   *     have no such caller and keep Lettuce's timeout
   */
  private <B extends ClientOptions.Builder> B clientOptions(B builder, boolean commands) {
    builder.autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder()
            .connectTimeout(settings.timeout())
            .keepAlive(true)
            .build())
        .sslOptions(SslOptions.builder().handshakeTimeout(settings.timeout()).build())
        .timeoutOptions(commands ? TimeoutOptions.builder().timeoutCommands(false).build()
            : TimeoutOptions.enabled(settings.timeout()));
    return builder;
  }

  /** @return the settings this connector was made from */
  public RedisSettings settings() {
    return settings;
  }

  /** @return the id that marks the events this manager publishes */
  String origin() {
    return origin;
  }

  /**
   * @param layout the cache's key layout
   * @return the commands of that cache's entries
   */
  public EntryStore store(KeyLayout layout) {
    var remote = new RemoteReads(this, layout);
    return new EntryStore(this, layout, remote, remote);
  }

  /**
   * @param layout the cache's key layout
   * @param nearCache the near cache's settings
   * @return the commands of that cache's entries, read from this JVM's copies first
   * @throws IllegalArgumentException if the near cache cannot be tracked on this deployment
   */
  public EntryStore store(KeyLayout layout, NearCache nearCache) {
    var entries = new NearEntries(nearCache);
    tracking.add(layout, entries);
    var remote = new RemoteReads(this, layout);
    return new EntryStore(this, layout, remote,
        new NearReads(remote, entries, () -> tracking.remove(layout)));
  }

  /**
   * The clients behind the command connection, for applications that want their own connections
   * to the same Redis with the same resources: a {@link RedisClient} for one server or a Sentinel,
   * a {@link RedisClusterClient} for a cluster (both when a {@code redis://host:port} URI turned
   * out to name a cluster node).
   *
   * @return the clients, closed with the manager
   */
  public Object[] clients() {
    return Stream.of(client, clusterClient).filter(Objects::nonNull).toArray();
  }

  /**
   * The manager's pub/sub connection, opened on first use. Lettuce restores its subscriptions
   * after a reconnect.
   *
   * @return the pub/sub connection
   */
  public PubSub pubSub() {
    Connection open = connection();
    synchronized (this) {
      checkOpen();
      if (pubSub == null) {
        pubSub = open.oneServer()
            ? PubSub.onServer(pubSubClient(), settings)
            : PubSub.onCluster(newPubSubClusterClient(), settings);
      }
      return pubSub;
    }
  }

  private RedisClusterClient newPubSubClusterClient() {
    return newClusterClient(clusterClient.getPartitions().stream()
        .map(RedisClusterNode::getUri).toList(), false);
  }

  /** @return whether the keys of one call may go in one command: a single server */
  boolean oneServer() {
    return connection().oneServer();
  }

  /** @return the servers that hold entries, each with a connection of its own */
  List<Connection.Server> masters() {
    try {
      return connection().masters();
    } catch (RuntimeException e) {
      throw RedisFailures.translate(e, settings, "Finding the masters", false);
    }
  }

  /** @return the cluster connection, or {@code null} on a single server */
  ClusterConnection cluster() {
    return connection() instanceof ClusterConnection cluster ? cluster : null;
  }

  /**
   * Sends commands in one write, each to its key's server, and waits for all within the timeout.
   * A script the server does not know yet is sent whole, once.
   *
   * @param calls the commands
   * @param what what they are, for the error message
   * @param writes whether they may change data, for the error message
   * @param <T> their result type
   * @return their results, in order
   * @throws CacheException if one failed or took too long
   */
  <T> List<T> send(List<Call<T>> calls, String what, boolean writes) {
    Connection open = connection();
    return send(open::routed, calls, what, writes);
  }

  /** {@link #send} of one command. */
  <T> T send(Call<T> call, String what, boolean writes) {
    return send(List.of(call), what, writes).get(0);
  }

  /** {@link #send} of commands that change nothing to one given server. */
  <T> List<T> send(Connection.Server server, List<Call<T>> calls, String what) {
    return send(server.connection(), calls, what + " on " + server.address(), false);
  }

  /** {@link #send} of one command that changes nothing to one given server. */
  <T> T send(Connection.Server server, Call<T> call, String what) {
    return send(server, List.of(call), what).get(0);
  }

  private <T> List<T> send(Supplier<? extends StatefulConnection<byte[], byte[]>> target,
      List<Call<T>> calls, String what, boolean writes) {
    List<T> results = sendOnce(target, calls, what, writes);
    if (writes && settings.waitForReplicas() > 0) {
      awaitReplicas(calls, what);
    }
    return results;
  }

  /**
   * Waits until the configured number of replicas have the writes just made: {@code WAIT} on
   * each master they went to, which covers every earlier write of the same connection.
   */
  private void awaitReplicas(List<? extends Call<?>> writes, String what) {
    int wanted = settings.waitForReplicas();
    // Redis answers WAIT when its own timeout ends: a quarter earlier than the command's
    long waitMillis = Math.max(1, settings.timeout().toMillis() * 3 / 4);
    Call<Long> wait = Call.replicasAcked(wanted, waitMillis);
    List<Connection.Server> masters = connection().mastersOf(writes.stream()
        .map(Call::key).toList());
    for (Connection.Server master : masters) {
      long acked = send(master, wait, what + ": WAIT");
      if (acked < wanted) {
        throw new CacheException(what + ": applied on " + master.address() + ", but only "
            + acked + " of " + wanted + " replicas had it within " + waitMillis
            + " ms, so a failover could still lose it. Check the replicas' links, or lower "
            + RedisSettings.WAIT_FOR_REPLICAS + ".");
      }
    }
  }

  private <T> List<T> sendOnce(Supplier<? extends StatefulConnection<byte[], byte[]>> target,
      List<Call<T>> calls, String what, boolean writes) {
    int count = calls.size();
    List<AsyncCommand<byte[], byte[], T>> sent = new ArrayList<>(count);
    for (Call<T> call : calls) {
      sent.add(track(call.command()));
    }
    dispatch(target, sent, what, writes);
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    List<T> results = new ArrayList<>(count);
    List<Integer> unknownScripts = null;
    for (int i = 0; i < count; i++) {
      try {
        results.add(await(sent.get(i), deadline));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RedisNoScriptException)
            || calls.get(i).afterNoScript() == null) {
          throw RedisFailures.translate(e, settings, what, writes, lastReconnectFailure);
        }
        results.add(null);
        if (unknownScripts == null) {
          unknownScripts = new ArrayList<>();
        }
        unknownScripts.add(i);
      }
    }
    if (unknownScripts != null) {
      List<AsyncCommand<byte[], byte[], T>> resent = new ArrayList<>(unknownScripts.size());
      for (int i : unknownScripts) {
        resent.add(track(calls.get(i).afterNoScript()));
      }
      dispatch(target, resent, what, writes);
      deadline = System.nanoTime() + settings.timeout().toNanos();
      for (int r = 0; r < resent.size(); r++) {
        try {
          results.set(unknownScripts.get(r), await(resent.get(r), deadline));
        } catch (ExecutionException e) {
          throw RedisFailures.translate(e, settings, what, writes, lastReconnectFailure);
        }
      }
    }
    return results;
  }

  /** @return the command, failed by {@link DropWatch} if its connection drops before it ends */
  private <T> AsyncCommand<byte[], byte[], T> track(Command<byte[], byte[], T> command) {
    AsyncCommand<byte[], byte[], T> async = new AsyncCommand<>(command);
    inFlight.add(async);
    async.whenComplete((result, failure) -> inFlight.remove(async));
    return async;
  }

  private <T> void dispatch(Supplier<? extends StatefulConnection<byte[], byte[]>> target,
      List<AsyncCommand<byte[], byte[], T>> sent, String what, boolean writes) {
    try {
      target.get().dispatch(sent);
    } catch (RuntimeException e) {
      // a cluster connects to a node while dispatching (or on the way to one), which may fail
      sent.forEach(async -> async.completeExceptionally(e));
      throw RedisFailures.translate(e, settings, what, writes, lastReconnectFailure);
    }
  }

  private <T> T await(AsyncCommand<byte[], byte[], T> command, long deadline)
      throws ExecutionException {
    try {
      return command.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      command.cancel(true);
      Thread.currentThread().interrupt();
      throw new CacheException("Interrupted while waiting for Redis at " + settings.address(), e);
    } catch (TimeoutException e) {
      // done, so that Lettuce never writes it after a reconnect
      command.cancel(true);
      throw new ExecutionException(e);
    }
  }

  private Connection connection() {
    Connection open = connection;
    if (open != null) {
      return open;
    }
    CompletableFuture<Connection> attempt = connect();
    try {
      return attempt.get(settings.timeout().toNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("Interrupted while connecting to Redis at "
          + settings.address(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw RedisFailures.translate(e, settings, "Connecting", false, null);
    }
  }

  private synchronized CompletableFuture<Connection> connect() {
    checkOpen();
    if (connection != null) {
      return CompletableFuture.completedFuture(connection);
    }
    if (connecting != null && !connecting.isDone()) {
      return connecting;
    }
    long wait = nextConnectNanos - System.nanoTime();
    if (lastConnectFailure != null && wait > 0) {
      throw RedisFailures.notConnected(settings, "Connecting", lastConnectFailure,
          TimeUnit.NANOSECONDS.toMillis(wait));
    }
    connecting = open().handle(this::adopt);
    return connecting;
  }

  private CompletableFuture<Connection> open() {
    RedisURI first = settings.nodes().get(0);
    return switch (settings.topology()) {
      case CLUSTER -> openCluster();
      case SENTINEL -> {
        watchSentinels();
        yield client.connectAsync(CODEC, first).toCompletableFuture()
            .thenApply(opened -> new ServerConnection(opened, settings.address()));
      }
      case SERVER -> client.connectAsync(CODEC, first).toCompletableFuture()
          .thenCompose(opened -> {
            if (!isClusterNode(opened)) {
              return CompletableFuture.completedFuture(
                  new ServerConnection(opened, settings.address()));
            }
            opened.closeAsync();
            LOG.info("Redis at {} is a cluster node: connecting to the cluster",
                settings.address());
            if (clusterClient == null) {
              clusterClient = newClusterClient(List.of(first), true);
            }
            return openCluster();
          });
    };
  }

  private CompletableFuture<Connection> openCluster() {
    // connectAsync needs the topology loaded; the synchronous connect would load it on its own
    return clusterClient.refreshPartitionsAsync().toCompletableFuture()
        .thenCompose(loaded -> clusterClient.connectAsync(CODEC))
        .thenCompose(connection -> new ClusterConnection(connection, clusterClient)
            .connectMasters(settings.timeout()));
  }

  private synchronized void watchSentinels() {
    if (sentinelWatch == null) {
      sentinelWatch = new SentinelWatch(pubSubClient(), settings.nodes().get(0), settings.timeout(),
          this::masterSwitched);
    }
  }

  /**
   * Drops the command connection when the Sentinels elected a master it is not connected to:
   * the next call connects to the one they name. Commands in flight on it fail. The event
   * subscriptions move to the new master too.
   */
  private void masterSwitched(String host, int port) {
    Connection open;
    PubSub subscriptions;
    synchronized (this) {
      subscriptions = closed ? null : pubSub;
      open = connection;
      if (open == null || closed || commandAddress instanceof InetSocketAddress at
          && at.getPort() == port && (host.equals(at.getHostString())
              || at.getAddress() != null && host.equals(at.getAddress().getHostAddress()))) {
        open = null;
      } else {
        connection = null;
      }
    }
    // Not on this Lettuce thread, which closing and connecting may need.
    if (subscriptions != null) {
      CompletableFuture.runAsync(() -> subscriptions.follow(host, port));
    }
    if (open != null) {
      LOG.info("The Sentinels elected {}:{} as {}: reconnecting", host, port, settings.address());
      CompletableFuture.runAsync(open::close);
    }
  }

  /** The server's handshake (HELLO) names its mode: standalone, cluster or sentinel. */
  private static boolean isClusterNode(StatefulRedisConnection<byte[], byte[]> opened) {
    return opened instanceof StatefulRedisConnectionImpl<?, ?> impl
        && "cluster".equals(impl.getConnectionState().getMode());
  }

  private synchronized Connection adopt(Connection opened, Throwable failure) {
    if (failure != null) {
      failedConnects++;
      lastConnectFailure = RedisFailures.unwrap(failure);
      nextConnectNanos = System.nanoTime() + SharedResources.retryDelay(failedConnects).toNanos();
      throw new CompletionException(lastConnectFailure);
    }
    if (closed) {
      opened.close();
      throw new IllegalStateException("The cache manager closed while connecting");
    }
    LOG.debug("Connected to Redis at {}", settings.address());
    failedConnects = 0;
    lastConnectFailure = null;
    connection = opened;
    tracking.retrack();
    return opened;
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The cache manager is closed");
    }
  }

  /**
   * Fails every command in flight when one of the manager's connections drops (not when it is
   * closed on purpose), before Lettuce could reconnect and re-send them; on a cluster that
   * includes commands sent to other nodes, which may or may not have been applied.
   */
  private final class DropWatch implements RedisConnectionStateListener {

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> dropped) {
      tracking.detached(dropped);
      if (dropped.isClosed() || inFlight.isEmpty()) {
        return;
      }
      var cause = new RedisConnectionException(RedisFailures.DROPPED);
      for (AsyncCommand<byte[], byte[], ?> command : inFlight) {
        command.completeExceptionally(cause);
      }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> reconnected, SocketAddress address) {
      addresses.add(address);
      if (!(reconnected instanceof StatefulRedisSentinelConnection<?, ?>)) {
        commandAddress = address;
      }
      lastReconnectFailure = null;
      tracking.reconnected(reconnected);
    }
  }

  @Override
  public void close() {
    PubSub subscriptions;
    Connection commandConnection;
    SentinelWatch watch;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      subscriptions = pubSub;
      watch = sentinelWatch;
      commandConnection = connection;
      connection = null;
    }
    tracking.close();
    try {
      if (watch != null) {
        watch.close();
      }
      if (subscriptions != null) {
        subscriptions.close();
      }
      if (commandConnection != null) {
        commandConnection.close();
      }
      long timeout = settings.timeout().toMillis();
      for (Object each : clients()) {
        ((AbstractRedisClient) each).shutdown(0, timeout, TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.warn("Closing the connection to Redis at {} failed", settings.address(), e);
    } finally {
      reconnectFailures.dispose();
      topologyChanges.dispose();
      SharedResources.release(resources, settings.timeout());
    }
  }
}

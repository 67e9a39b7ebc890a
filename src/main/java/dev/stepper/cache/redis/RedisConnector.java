package dev.stepper.cache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache manager's way to Redis: one multiplexed connection that all its caches share, opened
 * on first use and closed with the manager, plus a pub/sub connection once a listener needs it.
 *
 * <p>Every call is bounded by the manager's timeout. The command connection is never
 * reconnected behind the caller's back: Lettuce would re-send the commands that were in flight
 * when the connection dropped, and a conditional write sent twice reports the wrong outcome (or an
 * entry processor applies twice). Instead, in-flight commands fail, and the next call opens a new
 * connection; concurrent callers share that one attempt. While Redis is unreachable calls fail
 * within the timeout, and they work again as soon as it is back.
 */
public final class RedisConnector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);

  private final RedisSettings settings;
  private final String origin = UUID.randomUUID().toString();
  private final ClientResources resources = SharedResources.acquire();
  private final RedisClient client;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connecting;
  private PubSub pubSub;
  private boolean closed;

  /**
   * Prepares the client; nothing is connected yet.
   *
   * @param settings where Redis is and how long to wait for it
   */
  public RedisConnector(RedisSettings settings) {
    this.settings = settings;
    this.client = newClient(false);
  }

  private RedisClient newClient(boolean autoReconnect) {
    RedisClient redisClient = RedisClient.create(resources, settings.redisUri());
    redisClient.setOptions(ClientOptions.builder()
        .autoReconnect(autoReconnect)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder()
            .connectTimeout(settings.timeout())
            .keepAlive(true)
            .build())
        .sslOptions(SslOptions.builder().handshakeTimeout(settings.timeout()).build())
        .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
        .build());
    return redisClient;
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
    return new EntryStore(this, layout);
  }

  /**
   * The client behind the command connection, for applications that want their own connections
   * to the same Redis with the same resources. Its connections do not reconnect by themselves.
   *
   * @return the client, closed with the manager
   */
  public RedisClient client() {
    return client;
  }

  /**
   * The manager's pub/sub connection, opened on first use. Unlike the command connection it
   * reconnects by itself: subscribing again is harmless, and Lettuce restores the subscriptions.
   *
   * @return the pub/sub connection
   */
  public synchronized PubSub pubSub() {
    checkOpen();
    if (pubSub == null) {
      pubSub = new PubSub(newClient(true), settings, origin);
    }
    return pubSub;
  }

  /**
   * Sends commands on one connection, in one pipeline, and waits for each. A command Lettuce
   * rejected because the connection had just dropped was never written, so it is sent once more
   * on a new connection; a command that was written is never sent again.
   *
   * @param commands each sends one command on the given connection
   * @param what what they are, for the error message
   * @param <T> their result type
   * @return their results, in order
   */
  <T> List<T> executeAll(List<Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>>>
      commands, String what) {
    RedisAsyncCommands<byte[], byte[]> connection = commands();
    List<CompletionStage<T>> pending = new ArrayList<>(commands.size());
    for (var command : commands) {
      pending.add(command.apply(connection));
    }
    List<T> results = new ArrayList<>(commands.size());
    List<Integer> unsent = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      try {
        results.add(await(pending.get(i), what));
      } catch (CacheException e) {
        if (!RedisFailures.wasRejectedUnsent(e)) {
          throw e;
        }
        results.add(null);
        unsent.add(i);
      }
    }
    if (!unsent.isEmpty()) {
      discard(connection.getStatefulConnection());
      RedisAsyncCommands<byte[], byte[]> fresh = commands();
      List<CompletionStage<T>> resent = new ArrayList<>(unsent.size());
      for (int i : unsent) {
        resent.add(commands.get(i).apply(fresh));
      }
      for (int r = 0; r < unsent.size(); r++) {
        results.set(unsent.get(r), await(resent.get(r), what));
      }
    }
    return results;
  }

  /** {@link #executeAll} of one command. */
  <T> T execute(Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>> command,
      String what) {
    return executeAll(List.of(command), what).get(0);
  }

  private synchronized void discard(StatefulConnection<byte[], byte[]> dead) {
    if (connection == dead) {
      connection.closeAsync();
      connection = null;
    }
  }

  private RedisAsyncCommands<byte[], byte[]> commands() {
    StatefulRedisConnection<byte[], byte[]> current = connection;
    if (current != null && current.isOpen()) {
      return current.async();
    }
    return await(connect(), "Connecting").async();
  }

  private synchronized CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connect() {
    checkOpen();
    if (connection != null && connection.isOpen()) {
      return CompletableFuture.completedFuture(connection);
    }
    if (connecting == null || connecting.isDone()) {
      if (connection != null) {
        connection.closeAsync();
        connection = null;
      }
      connecting = client.connectAsync(ByteArrayCodec.INSTANCE, settings.redisUri())
          .toCompletableFuture()
          .thenApply(this::adopt);
    }
    return connecting;
  }

  private synchronized StatefulRedisConnection<byte[], byte[]> adopt(
      StatefulRedisConnection<byte[], byte[]> opened) {
    if (closed) {
      opened.closeAsync();
      throw new IllegalStateException("The cache manager closed while connecting");
    }
    LOG.debug("Connected to Redis at {}", settings.address());
    connection = opened;
    return opened;
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The cache manager is closed");
    }
  }

  /**
   * Waits for a command, within the timeout.
   *
   * @param stage the pending command
   * @param what what it was, for the error message
   * @param <T> its result type
   * @return its result
   * @throws CacheException if it failed or took too long
   */
  <T> T await(CompletionStage<T> stage, String what) {
    try {
      // Lettuce times commands out itself; this bound also covers connecting and lost completions.
      return stage.toCompletableFuture()
          .get(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException(what + " was interrupted", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw RedisFailures.translate(e, settings, what);
    }
  }

  @Override
  public void close() {
    PubSub subscriptions;
    StatefulRedisConnection<byte[], byte[]> commandConnection;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      subscriptions = pubSub;
      commandConnection = connection;
      connection = null;
    }
    try {
      if (subscriptions != null) {
        subscriptions.close();
      }
      if (commandConnection != null) {
        commandConnection.close();
      }
      client.shutdown(0, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.warn("Closing the connection to Redis at {} failed", settings.address(), e);
    } finally {
      SharedResources.release(settings.timeout());
    }
  }
}

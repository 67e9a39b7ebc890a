package dev.stepper.cache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache manager's subscriptions to its caches' event channels, over one pub/sub connection.
 *
 * <p>Messages are handed to a single thread of their own, in arrival order: listener code must
 * never run on Lettuce's I/O thread, where a cache call would wait for itself. Lettuce
 * resubscribes after a reconnect; messages published while disconnected are lost, as with any
 * Redis pub/sub.
 */
public final class PubSub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PubSub.class);

  private final RedisClient client;
  private final RedisSettings settings;
  private final String origin;
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final Map<String, Consumer<byte[]>> handlers = new ConcurrentHashMap<>();
  private final ExecutorService delivery;

  PubSub(RedisClient client, RedisSettings settings, String origin) {
    this.client = client;
    this.settings = settings;
    this.origin = origin;
    try {
      this.connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown(0, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      throw RedisFailures.translate(e, settings, "Subscribing to cache events");
    }
    this.delivery = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "stepper-cache-events-" + settings.address());
      thread.setDaemon(true);
      return thread;
    });
    connection.addListener(new RedisPubSubAdapter<>() {
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
    });
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

  /** @return the id that marks this manager's own events, which it does not deliver twice */
  public String origin() {
    return origin;
  }

  /**
   * Subscribes, waiting until Redis has confirmed it.
   *
   * @param channel the channel
   * @param handler receives each message, on the delivery thread
   * @throws javax.cache.CacheException if Redis did not confirm in time; nothing is subscribed
   */
  public void subscribe(String channel, Consumer<byte[]> handler) {
    handlers.put(channel, handler);
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    try {
      awaitConfirmed(connection.async().subscribe(name), "Subscribing to " + channel);
    } catch (RuntimeException e) {
      handlers.remove(channel);
      throw e;
    }
  }

  /**
   * Unsubscribes, waiting until Redis has confirmed it.
   *
   * @param channel the channel
   */
  public void unsubscribe(String channel) {
    handlers.remove(channel);
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    awaitConfirmed(connection.async().unsubscribe(name), "Unsubscribing from " + channel);
  }

  private void awaitConfirmed(io.lettuce.core.RedisFuture<Void> future, String what) {
    try {
      future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RedisFailures.translate(e, settings, what);
    } catch (Exception e) {
      throw RedisFailures.translate(e, settings, what);
    }
  }

  @Override
  public void close() {
    handlers.clear();
    connection.close();
    client.shutdown(0, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    delivery.shutdown();
  }
}

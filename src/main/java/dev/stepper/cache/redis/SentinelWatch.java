package dev.stepper.cache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on every Sentinel for {@code +switch-master} of one master and reports the new master's
 * host and port.
 *
 * <p>Needed because a connection to the master the Sentinels named stays up when they elect
 * another: Lettuce asks the Sentinels only when it (re)connects, and after {@code SENTINEL
 * FAILOVER} the old master keeps taking writes until the Sentinels demote it about 10 s later,
 * which then throws those writes away. Lettuce's master/replica connection does listen, but waits
 * 5 s after the first event before it looks.
 */
final class SentinelWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SentinelWatch.class);
  private static final String CHANNEL = "+switch-master";

  private final RedisClient client;
  private final Duration timeout;

  /**
   * Subscribes on each Sentinel that answers; one that does not is left out.
   *
   * @param client a client of its own, closed with the watch: its connections must not count as
   *     the manager's command connection
   * @param uri the {@code redis-sentinel://} URI, naming the Sentinels and the master
   * @param timeout how long closing may wait
   * @param onSwitch given the new master's host and port, on a Lettuce thread: must not block
   */
  SentinelWatch(RedisClient client, RedisURI uri, Duration timeout,
      BiConsumer<String, Integer> onSwitch) {
    this.client = client;
    this.timeout = timeout;
    String prefix = uri.getSentinelMasterId() + " ";
    var listener = new RedisPubSubAdapter<String, String>() {
      @Override
      public void message(String channel, String message) {
        // "<name> <old ip> <old port> <new ip> <new port>"
        String[] words = message.split(" ");
        if (CHANNEL.equals(channel) && message.startsWith(prefix) && words.length == 5) {
          onSwitch.accept(words[3], Integer.parseInt(words[4]));
        }
      }
    };
    for (RedisURI sentinel : uri.getSentinels()) {
      client.connectPubSubAsync(StringCodec.UTF8, sentinel).thenCompose(connection -> {
        connection.addListener(listener);
        return connection.async().subscribe(CHANNEL);
      }).exceptionally(failure -> {
        LOG.debug("Cannot follow failovers through Sentinel {}:{}", sentinel.getHost(),
            sentinel.getPort(), failure);
        return null;
      });
    }
  }

  /** Closes the subscriptions, with the client. */
  @Override
  public void close() {
    client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}

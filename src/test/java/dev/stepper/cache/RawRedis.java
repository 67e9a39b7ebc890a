package dev.stepper.cache;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain Lettuce connection that works on Redis behind the caches' back: it reads and writes raw
 * keys and values, reads the server's per-command call counts, and sends any other command a test
 * needs through {@link #commands()}.
 */
final class RawRedis implements AutoCloseable {

  private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_(\\S+):calls=(\\d+),",
      Pattern.MULTILINE);

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;

  /** @param uri the server, without the provider's own query parameters */
  RawRedis(URI uri) {
    this.client = RedisClient.create(RedisURI.create(uri));
    this.connection = client.connect(ByteArrayCodec.INSTANCE);
  }

  RedisCommands<byte[], byte[]> commands() {
    return connection.sync();
  }

  /** @return a new pub/sub connection of this client; the caller closes it */
  StatefulRedisPubSubConnection<byte[], byte[]> subscriber() {
    return client.connectPubSub(ByteArrayCodec.INSTANCE);
  }

  /** @return the bytes stored at the key (given as UTF-8 text), or {@code null} */
  byte[] get(String key) {
    return commands().get(utf8(key));
  }

  /** Stores bytes at a key, as a client that knows nothing of JCache would. */
  void set(String key, byte[] value) {
    commands().set(utf8(key), value);
  }

  /** @return every key matching the glob pattern, as UTF-8 text, walked with SCAN, sorted */
  List<String> keys(String pattern) {
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
  void resetStats() {
    commands().configResetstat();
  }

  /**
   * The calls per command since {@link #resetStats()}, from {@code INFO commandstats}, leaving out
   * the two commands this class itself sends to measure. Redis counts the commands a Lua script
   * runs as well as the ones clients send.
   *
   * @return command name (subcommands as {@code pubsub|numsub}) to calls
   */
  Map<String, Long> commandCalls() {
    Map<String, Long> calls = new TreeMap<>();
    Matcher m = COMMAND_STAT.matcher(commands().info("commandstats"));
    while (m.find()) {
      calls.put(m.group(1), Long.parseLong(m.group(2)));
    }
    calls.remove("info");
    calls.remove("config|resetstat");
    return calls;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}

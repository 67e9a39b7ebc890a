package dev.stepper.cache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The Redis commands of one cache's entries, addressed by their encoded keys.
 *
 * <p>Single-key calls cost one round trip; calls on many keys are pipelined (one command per key,
 * never a multi-key command, so that they stay valid on Redis Cluster). Thread-safe.
 */
public final class EntryStore {

  private static final byte[] NO_CHANNEL = new byte[0];
  private static final LuaScript WRITE = LuaScript.load("write.lua");
  private static final LuaScript READ = LuaScript.load("read.lua");

  private final RedisConnector connector;
  private final KeyLayout layout;
  private final byte[] channel;
  private final byte[] origin;

  EntryStore(RedisConnector connector, KeyLayout layout) {
    this.connector = connector;
    this.layout = layout;
    this.channel = layout.eventChannel().getBytes(StandardCharsets.UTF_8);
    this.origin = connector.origin().getBytes(StandardCharsets.UTF_8);
  }

  /** @return how this cache's manager reaches Redis */
  public RedisSettings settings() {
    return connector.settings();
  }

  /** @return the id that marks the events this manager's writes publish */
  public String origin() {
    return connector.origin();
  }

  /** @return where this cache's entries live */
  public KeyLayout layout() {
    return layout;
  }

  /**
   * @param key an encoded key
   * @return the stored bytes, or {@code null}
   */
  public byte[] get(byte[] key) {
    return getAll(List.of(key)).get(0);
  }

  /**
   * @param keys encoded keys
   * @return the stored bytes of each, {@code null} where absent, in the same order
   */
  public List<byte[]> getAll(List<byte[]> keys) {
    return perKey(keys, key -> commands -> commands.get(key), "GET");
  }

  /**
   * @param key an encoded key
   * @return whether the entry exists
   */
  public boolean contains(byte[] key) {
    return containsAll(List.of(key)).get(0);
  }

  /**
   * Reads an entry and the time it has left, in one round trip.
   *
   * @param key an encoded key
   * @return the entry, or {@code null} if absent
   */
  public TimedValue getWithTtl(byte[] key) {
    byte[] redisKey = layout.entryKey(key);
    List<Object> reply = connector.execute(
        commands -> READ.<List<Object>>run(commands, new byte[][] {redisKey}), "GET");
    return reply.isEmpty() ? null : new TimedValue((byte[]) reply.get(0), (Long) reply.get(1));
  }

  /**
   * @return the job records (leases and failure backoff) of this cache's entries
   */
  public JobRecords jobRecords() {
    return new JobRecords(connector, layout);
  }

  /**
   * @param keys encoded keys
   * @return for each, whether it exists, in the same order
   */
  public List<Boolean> containsAll(List<byte[]> keys) {
    return perKey(keys, key -> commands -> commands.exists(key), "EXISTS").stream()
        .map(count -> count > 0).toList();
  }

  /**
   * @param keys encoded keys
   * @param writes the change of each, in the same order
   * @return what each found and did, in the same order
   */
  public List<WriteResult> writeAll(List<byte[]> keys, List<Write> writes) {
    var commands = new ArrayList<Function<RedisAsyncCommands<byte[], byte[]>,
        CompletionStage<WriteResult>>>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = layout.entryKey(keys.get(i));
      Write write = writes.get(i);
      commands.add(connection -> send(connection, key, write));
    }
    return connector.executeAll(commands, "Writing " + keys.size() + " entries");
  }

  /**
   * Removes entries without announcing it (for {@code clear()}).
   *
   * @param keys encoded keys
   * @return how many existed
   */
  public long deleteAll(List<byte[]> keys) {
    return perKey(keys, key -> commands -> commands.unlink(key), "UNLINK").stream()
        .mapToLong(Long::longValue).sum();
  }

  /** One command per key, all in one pipeline; commands never span keys, for Redis Cluster. */
  private <T> List<T> perKey(List<byte[]> keys,
      Function<byte[], Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>>> command,
      String name) {
    var commands = new ArrayList<Function<RedisAsyncCommands<byte[], byte[]>,
        CompletionStage<T>>>(keys.size());
    for (byte[] key : keys) {
      commands.add(command.apply(layout.entryKey(key)));
    }
    return connector.executeAll(commands, name + " of " + keys.size() + " keys");
  }

  private CompletionStage<WriteResult> send(RedisAsyncCommands<byte[], byte[]> commands,
      byte[] redisKey, Write write) {
    byte[][] keys = {redisKey};
    CompletionStage<List<Object>> reply = WRITE.run(commands, keys,
        utf8(write.condition().arg()),
        utf8(write.action().arg),
        write.value(),
        utf8(write.ifCreated().arg()),
        utf8(write.ifExisting().arg()),
        utf8(write.flags()),
        write.probe() ? NO_CHANNEL : channel,
        origin);
    return reply.thenApply(EntryStore::toResult);
  }

  private static WriteResult toResult(List<Object> reply) {
    String outcome = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
    boolean existed = ((Long) reply.get(1)) == 1L;
    byte[] previous = (byte[]) reply.get(2);
    return new WriteResult(switch (outcome) {
      case "A" -> WriteResult.Outcome.APPLIED;
      case "P" -> WriteResult.Outcome.PROBED;
      default -> WriteResult.Outcome.CONDITION_FAILED;
    }, existed, previous);
  }

  /**
   * Walks the cache's keys with SCAN, a batch at a time, so that memory stays bounded however large
   * the cache. As with SCAN, a key present throughout is seen at least once; keys added or removed
   * meanwhile may or may not be.
   *
   * @param batchSize the COUNT hint per SCAN call
   * @return the batches of encoded keys
   */
  public Iterator<List<byte[]>> scan(int batchSize) {
    return new Iterator<>() {
      private ScanCursor cursor = ScanCursor.INITIAL;
      private List<byte[]> next;

      @Override
      public boolean hasNext() {
        while (next == null && !cursor.isFinished()) {
          ScanArgs args = new ScanArgs().match(layout.scanPattern()).limit(batchSize);
          KeyScanCursor<byte[]> page =
              connector.execute(commands -> commands.scan(cursor, args), "SCAN");
          cursor = page;
          if (!page.getKeys().isEmpty()) {
            next = page.getKeys().stream().map(layout::encodedKey).toList();
          }
        }
        return next != null;
      }

      @Override
      public List<byte[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        List<byte[]> batch = next;
        next = null;
        return batch;
      }
    };
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

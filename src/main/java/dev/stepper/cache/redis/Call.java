package dev.stepper.cache.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.KeyScanOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.util.List;
import java.util.function.Supplier;

/**
 * One command of a batch that the connector sends in a single write: how to make it, and, for a
 * script, what to send instead when the server answers NOSCRIPT. Made afresh for every send, as
 * Lettuce's commands are used once.
 *
 * @param <T> its result type
 */
final class Call<T> {

  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private final byte[] key;
  private final Supplier<Command<byte[], byte[], T>> command;
  private final Supplier<Command<byte[], byte[], T>> afterNoScript;

  /**
   * @param key the (first) key the command touches, or {@code null}
   * @param command makes the command
   * @param afterNoScript makes the command to send after NOSCRIPT, or {@code null} for no script
   */
  Call(byte[] key, Supplier<Command<byte[], byte[], T>> command,
      Supplier<Command<byte[], byte[], T>> afterNoScript) {
    this.key = key;
    this.command = command;
    this.afterNoScript = afterNoScript;
  }

  private Call(byte[] key, Supplier<Command<byte[], byte[], T>> command) {
    this(key, command, null);
  }

  /** @return the (first) key the command touches, which places it on a server, or {@code null} */
  byte[] key() {
    return key;
  }

  Command<byte[], byte[], T> command() {
    return command.get();
  }

  /** @return the command to send after NOSCRIPT, or {@code null} if this is no script */
  Command<byte[], byte[], T> afterNoScript() {
    return afterNoScript == null ? null : afterNoScript.get();
  }

  static Call<byte[]> get(byte[] key) {
    return new Call<>(key, () -> new Command<>(CommandType.GET, new ValueOutput<>(CODEC),
        new CommandArgs<>(CODEC).addKey(key)));
  }

  static Call<List<byte[]>> mget(List<byte[]> keys) {
    return new Call<>(keys.get(0), () -> new Command<>(CommandType.MGET, new ValueListOutput<>(CODEC),
        new CommandArgs<>(CODEC).addKeys(keys)));
  }

  /**
   * @param ttl {@link Ttl#ETERNAL} or a time in milliseconds
   */
  static Call<String> set(byte[] key, byte[] value, Ttl ttl) {
    return new Call<>(key, () -> {
      CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).addKey(key).addValue(value);
      if (ttl != Ttl.ETERNAL) {
        args.add("PX").add(ttl.arg());
      }
      return new Command<>(CommandType.SET, new StatusOutput<>(CODEC), args);
    });
  }

  static Call<String> mset(List<byte[]> keys, List<byte[]> values) {
    return new Call<>(keys.get(0), () -> {
      CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC);
      for (int i = 0; i < keys.size(); i++) {
        args.addKey(keys.get(i)).addValue(values.get(i));
      }
      return new Command<>(CommandType.MSET, new StatusOutput<>(CODEC), args);
    });
  }

  static Call<Boolean> exists(byte[] key) {
    return new Call<>(key, () -> new Command<>(CommandType.EXISTS, new BooleanOutput<>(CODEC),
        new CommandArgs<>(CODEC).addKey(key)));
  }

  static Call<Long> unlink(List<byte[]> keys) {
    return new Call<>(keys.get(0), () -> new Command<>(CommandType.UNLINK, new IntegerOutput<>(CODEC),
        new CommandArgs<>(CODEC).addKeys(keys)));
  }

  static Call<KeyScanCursor<byte[]>> scan(ScanCursor cursor, byte[] pattern, int count) {
    return new Call<>(null, () -> new Command<>(CommandType.SCAN, new KeyScanOutput<>(CODEC),
        new CommandArgs<>(CODEC).add(cursor.getCursor()).add(CommandKeyword.MATCH).add(pattern)
            .add(CommandKeyword.COUNT).add(count)));
  }

  static Call<String> clusterNodes() {
    return new Call<>(null, () -> new Command<>(CommandType.CLUSTER, new StatusOutput<>(CODEC),
        new CommandArgs<>(CODEC).add(CommandKeyword.NODES)));
  }

  static Call<List<byte[]>> keysInSlot(int slot, int count) {
    return new Call<>(null, () -> new Command<>(CommandType.CLUSTER, new ValueListOutput<>(CODEC),
        new CommandArgs<>(CODEC).add(CommandKeyword.GETKEYSINSLOT).add(slot).add(count)));
  }

  static Call<Long> replicasAcked(int replicas, long timeoutMillis) {
    return new Call<>(null, () -> new Command<>(CommandType.WAIT, new IntegerOutput<>(CODEC),
        new CommandArgs<>(CODEC).add(replicas).add(timeoutMillis)));
  }
}

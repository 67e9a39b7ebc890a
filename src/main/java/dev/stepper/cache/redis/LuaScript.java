package dev.stepper.cache.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from this package's resources, run by its SHA-1 and sent whole only when the server
 * answers NOSCRIPT (first use, restart, failover, a new cluster node, SCRIPT FLUSH): script caches
 * are per server, so each node of a cluster learns the script on its own first NOSCRIPT.
 */
final class LuaScript {

  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private final String name;
  private final byte[] body;
  private final String sha1;

  private LuaScript(String name, byte[] body) {
    this.name = name;
    this.body = body;
    this.sha1 = sha1Hex(body);
  }

  static LuaScript load(String resource) {
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing script resource " + resource);
      }
      return new LuaScript(resource, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha1Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-1", e);
    }
  }

  /**
   * @param keys the keys the script touches, all of one server (one hash slot on a cluster)
   * @param args its arguments
   * @return a call that runs the script by SHA-1 and, after NOSCRIPT, whole; its reply is the raw
   *     multi-bulk list
   */
  Call<List<Object>> call(byte[][] keys, byte[]... args) {
    return new Call<>(keys[0],
        () -> command(CommandType.EVALSHA, new CommandArgs<>(CODEC).add(sha1), keys, args),
        () -> command(CommandType.EVAL, new CommandArgs<>(CODEC).add(body), keys, args));
  }

  private static Command<byte[], byte[], List<Object>> command(CommandType type,
      CommandArgs<byte[], byte[]> script, byte[][] keys, byte[][] args) {
    script.add(keys.length).addKeys(keys).addValues(args);
    return new Command<>(type, new NestedMultiOutput<>(CODEC), script);
  }

  @Override
  public String toString() {
    return name + " (" + sha1 + ")";
  }
}

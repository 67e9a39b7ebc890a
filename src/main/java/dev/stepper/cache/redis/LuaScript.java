package dev.stepper.cache.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script from this package's resources, run by its SHA-1 and sent whole only when the server
 * answers NOSCRIPT (first use, restart, failover, SCRIPT FLUSH).
 */
final class LuaScript {

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

  /** Runs the script; the reply is the raw multi-bulk list. */
  <T> CompletionStage<T> run(RedisAsyncCommands<byte[], byte[]> commands, byte[][] keys,
      byte[]... args) {
    RedisFuture<T> bySha = commands.evalsha(sha1, ScriptOutputType.MULTI, keys, args);
    return bySha.handle((result, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(result);
      }
      if (RedisFailures.unwrap(failure) instanceof RedisNoScriptException) {
        RedisFuture<T> whole = commands.eval(body, ScriptOutputType.MULTI, keys, args);
        return whole.toCompletableFuture();
      }
      return CompletableFuture.<T>failedFuture(RedisFailures.unwrap(failure));
    }).thenCompose(stage -> stage);
  }

  @Override
  public String toString() {
    return name + " (" + sha1 + ")";
  }
}

package dev.stepper.cache.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheException;

/** Turns Lettuce's failures into {@link CacheException}s that say where and what to check. */
final class RedisFailures {

  private RedisFailures() {}

  static CacheException translate(Throwable failure, RedisSettings settings, String what) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CacheException cacheException) {
      return cacheException;
    }
    String where = " Redis at " + settings.address();
    if (cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException) {
      return new CacheException(what + ": no answer from" + where + " within "
          + settings.timeout().toMillis() + " ms; a write may or may not have been applied."
          + " Check that Redis is up and not overloaded, or raise ?timeout= on the manager URI.",
          cause);
    }
    if (cause instanceof RedisConnectionException || isDisconnected(cause)) {
      return new CacheException(what + ": cannot reach" + where + " (" + cause.getMessage()
          + "). Check that Redis runs there and accepts this client's credentials.", cause);
    }
    return new CacheException(what + " failed on" + where + ": " + cause.getMessage(), cause);
  }

  /**
   * @return whether a failure is Lettuce refusing a command on a connection it knows to be down:
   *     such a command was never written, so sending it again cannot apply it twice
   */
  static boolean wasRejectedUnsent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("Commands are rejected")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDisconnected(Throwable cause) {
    // REJECT_COMMANDS reports a closed connection as a plain RedisException.
    String message = String.valueOf(cause.getMessage());
    return message.contains("not connected") || message.contains("Connection closed")
        || message.contains("Connection is closed");
  }

  static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    if (current instanceof CancellationException) {
      return new TimeoutException("cancelled");
    }
    return current;
  }
}

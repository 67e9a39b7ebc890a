package dev.stepper.cache.redis;

import dev.stepper.cache.config.Redaction;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheException;

/** Turns Lettuce's failures into {@link CacheException}s that say where and what to check. */
final class RedisFailures {

  /** The message of the failure given to commands in flight when their connection dropped. */
  static final String DROPPED = "the connection dropped while the command was in flight";

  private static final String MAY_HAVE_APPLIED = "; the write may or may not have been applied";

  private RedisFailures() {}

  /**
   * @param failure what Lettuce reported
   * @param what the operation, for the message
   * @param writes whether the operation may change data: only then is the caller told that a
   *     write may or may not have been applied
   * @param lastReconnectFailure why the last reconnect attempt failed, or {@code null}
   */
  static CacheException translate(Throwable failure, RedisSettings settings, String what,
      boolean writes, Throwable lastReconnectFailure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CacheException cacheException) {
      return cacheException;
    }
    String where = "Redis at " + settings.address();
    if (cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException) {
      return new RedisUnavailableException(what + ": no answer from " + where + " within "
          + settings.timeout().toMillis() + " ms" + (writes ? MAY_HAVE_APPLIED : "")
          + ". Check that Redis is up and not overloaded, or raise ?timeout= on the manager URI.",
          cause);
    }
    String message = describe(cause);
    if (message.contains(DROPPED)) {
      return new RedisUnavailableException(what + ": " + DROPPED + " to " + where
          + (writes ? MAY_HAVE_APPLIED : "") + ". The connection is restored by itself;"
          + " the call may be tried again.", cause);
    }
    if (message.contains("not connected") || message.contains("Commands are rejected")
        || message.contains("Connection disconnected")) {
      return notConnected(settings, what, lastReconnectFailure, -1);
    }
    if (cause instanceof RedisConnectionException || message.contains("Connection closed")
        || message.contains("Connection is closed")) {
      return new RedisUnavailableException(what + ": cannot reach " + where + " (" + message
          + "). Check that Redis runs there and accepts this client's credentials.", cause);
    }
    return new CacheException(what + " failed on " + where + ": " + message, cause);
  }

  /** {@link #translate} of a call that changes nothing, with no reconnect failure known. */
  static CacheException translate(Throwable failure, RedisSettings settings, String what,
      boolean writes) {
    return translate(failure, settings, what, writes, null);
  }

  /**
   * A call made while the connection is down, which fails at once instead of waiting for the
   * next attempt to connect.
   *
   * @param lastFailure why the last attempt failed, or {@code null} if none has failed yet
   * @param retryInMillis when the next attempt is due, or a negative number if Lettuce decides
   */
  static CacheException notConnected(RedisSettings settings, String what, Throwable lastFailure,
      long retryInMillis) {
    String attempt = lastFailure == null ? "" : "; last attempt: " + describe(lastFailure);
    String retry = retryInMillis < 0
        ? "it reconnects in the background"
        : "the next attempt is due in " + retryInMillis + " ms";
    return new RedisUnavailableException(what + ": Redis at " + settings.address()
        + " is not connected"
        + attempt + ". Calls fail at once until it is back (" + retry + ", at least every "
        + SharedResources.LONGEST_RETRY.toMillis() + " ms); check that Redis runs there.",
        lastFailure);
  }

  /**
   * @return the message of a failure, or its type when it has none, followed by the root cause's
   *     when that says more (Lettuce's "Unable to connect to …" hides "Connection refused")
   */
  static String describe(Throwable failure) {
    Throwable cause = unwrap(failure);
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = messageOf(cause);
    return root == cause || text.contains(messageOf(root)) ? text
        : text + " (" + messageOf(root) + ")";
  }

  private static String messageOf(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName()
        : Redaction.redact(message);
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

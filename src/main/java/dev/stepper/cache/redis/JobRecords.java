package dev.stepper.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The job records of one cache's entries, kept by {@code lease.lua}: a lease that lets one caller,
 * in any JVM, (re)generate an entry, and after a failure the time before anyone may try again.
 *
 * <p>A record lives under its own key in the reserved {@code <prefix>:~} namespace and expires by
 * itself, so a holder that dies frees its lease when the lease runs out. Thread-safe.
 */
public final class JobRecords {

  private static final LuaScript LEASE = LuaScript.load("lease.lua");

  private final RedisConnector connector;
  private final KeyLayout layout;
  private final UnaryOperator<byte[]> recordKey;
  private final String what;

  /**
   * @param recordKey the key of an entry's record, from the entry's encoded key
   * @param what what the records are, for messages
   */
  JobRecords(RedisConnector connector, KeyLayout layout, UnaryOperator<byte[]> recordKey,
      String what) {
    this.connector = connector;
    this.layout = layout;
    this.recordKey = recordKey;
    this.what = what;
  }

  /**
   * What an attempt to take a lease found.
   *
   * @param acquired whether the caller now holds the lease
   * @param failedAttempts when acquired, how many generations failed before (0 if none recorded)
   * @param retryAt when not acquired because of a recorded failure, when a retry is allowed;
   *     {@code null} while another holder's lease runs
   * @param heldFor when not acquired because another holder's lease runs, how long it still runs;
   *     else zero
   */
  public record Grant(boolean acquired, int failedAttempts, Instant retryAt, Duration heldFor) {}

  /**
   * Takes the lease of an entry unless someone holds it or a failure's retry time has not come.
   *
   * @param key the entry's encoded key
   * @param token the holder's unique token
   * @param lease how long the lease lasts unless released
   * @return what was found
   */
  public Grant acquire(byte[] key, String token, Duration lease) {
    List<Long> reply = run(key, "A", token, Long.toString(lease.toMillis()));
    if (reply.get(0) == 1L) {
      return new Grant(true, reply.get(1).intValue(), null, Duration.ZERO);
    }
    long retryAt = reply.get(1);
    return new Grant(false, 0, retryAt == 0 ? null : Instant.ofEpochMilli(retryAt),
        Duration.ofMillis(reply.get(2)));
  }

  /**
   * Renews a lease for a holder whose work outlasts it, so that nobody takes it over meanwhile.
   *
   * @param key the entry's encoded key
   * @param token the holder's token
   * @param lease how long the lease lasts from now
   * @return whether the caller still held the lease
   */
  public boolean extend(byte[] key, String token, Duration lease) {
    return run(key, "E", token, Long.toString(lease.toMillis())).get(0) == 1L;
  }

  /**
   * Gives a lease back, if the caller still holds it.
   *
   * @param key the entry's encoded key
   * @param token the holder's token
   */
  public void release(byte[] key, String token) {
    run(key, "R", token);
  }

  /**
   * Replaces the caller's lease by a failure record: nobody may take the lease before the retry
   * time, and the attempt count survives until the record is dropped.
   *
   * @param key the entry's encoded key
   * @param token the holder's token
   * @param attempts failed attempts, this one included
   * @param retryAfter how long nobody may retry
   * @param keep how long the record is kept, at least {@code retryAfter}
   * @return when a retry is allowed, or {@code null} if the lease had run out (nothing recorded)
   */
  public Instant recordFailure(byte[] key, String token, int attempts, Duration retryAfter,
      Duration keep) {
    long retry = Math.max(1, retryAfter.toMillis());
    List<Long> reply = run(key, "F", token, Long.toString(retry),
        Long.toString(Math.max(retry, keep.toMillis())), Integer.toString(attempts));
    return reply.get(0) == 0L ? null : Instant.ofEpochMilli(reply.get(0));
  }

  private List<Long> run(byte[] key, String... args) {
    byte[][] keys = {recordKey.apply(key)};
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return connector.send(LEASE.call(keys, argv), what + " of " + layout.describe(key), true)
        .stream().map(Long.class::cast).toList();
  }
}

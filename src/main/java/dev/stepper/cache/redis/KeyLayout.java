package dev.stepper.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where one cache's entries live: the key {@code <prefix>:<cacheName>:<encoded key>} per entry.
 *
 * <p>Characters that would blur the boundaries ({@code : % { }}) are percent-encoded in the cache
 * name, and the prefix may not contain them, so two caches or two prefixes never share a key.
 * {@code ~} is encoded too: names starting with {@code <prefix>:~} are reserved for the
 * provider's own bookkeeping: per-entry job records and invoke leases, and one job queue and its
 * budgets per cache.
 * With no braces before the encoded key, Redis Cluster places each entry by its own key: one cache spreads
 * over every shard.
 */
public final class KeyLayout {

  private final String prefix;
  private final String cacheName;
  private final byte[] head;
  private final byte[] jobRecordHead;
  private final byte[] flightHead;
  private final byte[] scanPattern;
  private final String taggedHead;

  private KeyLayout(String prefix, String cacheName) {
    this.prefix = prefix;
    this.cacheName = cacheName;
    this.head = (prefix + ":" + escape(cacheName) + ":").getBytes(StandardCharsets.UTF_8);
    this.jobRecordHead = (prefix + ":~" + escape(cacheName) + ":").getBytes(StandardCharsets.UTF_8);
    this.flightHead = (prefix + ":~~" + escape(cacheName) + ":").getBytes(StandardCharsets.UTF_8);
    this.scanPattern = globEscaped(head);
    this.taggedHead = prefix + ":~{" + escape(cacheName) + "}:";
  }

  /**
   * @param prefix the manager's prefix, already checked
   * @param cacheName any cache name
   * @return the layout of that cache
   */
  public static KeyLayout of(String prefix, String cacheName) {
    checkPrefix(prefix);
    return new KeyLayout(prefix, cacheName);
  }

  static void checkPrefix(String prefix) {
    if (prefix == null || !prefix.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("Key prefix '" + prefix + "' must be a non-empty name of"
          + " letters, digits, '.', '_' or '-' (no ':' or braces, so prefixes cannot overlap)");
    }
  }

  private static String escape(String name) {
    var out = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      switch (c) {
        case ':', '%', '{', '}', '~' -> out.append('%').append(String.format("%02X", (int) c));
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** @return the cache's name */
  public String cacheName() {
    return cacheName;
  }

  /**
   * @param encodedKey the key codec's bytes
   * @return the entry's Redis key
   */
  public byte[] entryKey(byte[] encodedKey) {
    return concat(head, encodedKey);
  }

  /**
   * @param encodedKey the key codec's bytes
   * @return the key of the entry's job record, {@code <prefix>:~<cacheName>:<encoded key>}: apart
   *     from every cache's entries, so that SCAN and {@code clear()} never meet it
   */
  byte[] jobRecordKey(byte[] encodedKey) {
    return concat(jobRecordHead, encodedKey);
  }

  /**
   * @param encodedKey the key codec's bytes
   * @return the key of the lease of an {@code invoke} on the absent entry,
   *     {@code <prefix>:~~<cacheName>:<encoded key>}: a job record's head never starts with
   *     {@code ~}, as names have it escaped, so the two never meet
   */
  byte[] flightKey(byte[] encodedKey) {
    return concat(flightHead, encodedKey);
  }

  /**
   * @return the key of the cache's job queue, {@code <prefix>:~{<cacheName>}:jobs}: the braces
   *     are a hash tag, so that the queue and the {@link #budgetKeys budgets} of one cache share a
   *     cluster slot (they are small, and one script may touch them together); entries never
   *     carry one
   */
  byte[] queueKey() {
    return utf8(taggedHead + "jobs");
  }

  /**
   * @param name a budget's name
   * @return the keys of its calls in flight and its recent calls,
   *     {@code <prefix>:~{<cacheName>}:budget:<name>:in-flight} and {@code …:recent}
   */
  byte[][] budgetKeys(String name) {
    String head = taggedHead + "budget:" + escape(name) + ":";
    return new byte[][] {utf8(head + "in-flight"), utf8(head + "recent")};
  }

  /** @return the pub/sub channel on which queued jobs wake the workers */
  public String jobChannel() {
    return eventChannel() + ":jobs";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] key = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, key, head.length, tail.length);
    return key;
  }

  /**
   * @param redisKey a key of this cache, as {@link #entryKey} made it
   * @return the key codec's bytes
   * @throws IllegalArgumentException if the key is not one of this cache's
   */
  public byte[] encodedKey(byte[] redisKey) {
    if (!owns(redisKey)) {
      throw new IllegalArgumentException("Not a key of cache " + cacheName);
    }
    return Arrays.copyOfRange(redisKey, head.length, redisKey.length);
  }

  /**
   * @param encodedKey the key codec's bytes
   * @return the entry's Redis key as {@code redis-cli} would print it, for messages
   */
  public String describe(byte[] encodedKey) {
    var out = new StringBuilder();
    for (byte b : entryKey(encodedKey)) {
      int c = b & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"') {
        out.append((char) c);
      } else {
        out.append(String.format("\\x%02x", c));
      }
    }
    return out.toString();
  }

  boolean owns(byte[] redisKey) {
    return redisKey.length >= head.length
        && Arrays.equals(redisKey, 0, head.length, head, 0, head.length);
  }

  /** @return a SCAN pattern matching exactly this cache's keys */
  byte[] scanPattern() {
    return scanPattern;
  }

  private static byte[] globEscaped(byte[] head) {
    var out = new StringBuilder();
    for (char c : new String(head, StandardCharsets.UTF_8).toCharArray()) {
      if ("*?[]\\".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('*').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @return the channel that a manager listening to this cache subscribes to on every node of a
   *     Redis Cluster, so that a write script, whichever node it runs on, can count the listeners
   *     there: {@code PUBSUB NUMSUB} counts the subscribers of one node only. Nothing is published
   *     on it.
   */
  public String presenceChannel() {
    return eventChannel() + ":listening";
  }

  /** @return the pub/sub channel on which this cache's changes are announced */
  public String eventChannel() {
    return new String(head, 0, head.length - 1, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return prefix + ":" + escape(cacheName) + ":*";
  }
}

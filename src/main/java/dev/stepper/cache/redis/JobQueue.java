package dev.stepper.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue of one cache's generation jobs, shared by every JVM: a Redis stream read by one
 * consumer group, kept by {@code queue.lua}. Any JVM enqueues; the JVMs whose cache has workers
 * take messages, one at a time per free worker, and beat on the ones they run, so that a message
 * whose worker stops beating for a lease is taken again by another.
 *
 * <p>Why a stream: the consumer group's pending list remembers which worker holds which message
 * and since when it is idle, which is exactly a lease that a dead worker loses; a list would need
 * a processing list per worker and a sweeper of its own. Messages are deleted when done, so the
 * stream only ever holds the queued and running jobs. The stream lives under
 * {@link KeyLayout#queueKey()} and workers are woken on {@link KeyLayout#jobChannel()}.
 * Thread-safe.
 */
public final class JobQueue {

  private static final LuaScript QUEUE = LuaScript.load("queue.lua");
  private static final byte[] GROUP = utf8("workers");

  private final RedisConnector connector;
  private final EntryStore store;
  private final byte[][] key;
  private final byte[] channel;

  JobQueue(RedisConnector connector, EntryStore store, KeyLayout layout) {
    this.connector = connector;
    this.store = store;
    this.key = new byte[][] {layout.queueKey()};
    this.channel = utf8(layout.jobChannel());
  }

  /**
   * A queued job as a worker took it.
   *
   * @param id the message id, which {@link #done}, {@link #beat} and {@link #handBack} take
   * @param deliveries how often the message was taken, this time included: more than once when
   *     workers died running it
   * @param fields what the enqueuer wrote
   */
  public record Message(String id, int deliveries, Map<String, byte[]> fields) {}

  /** What a write followed by an enqueue did: the write's result, and the message id if queued. */
  public record Enqueued(WriteResult write, String id) {}

  /**
   * Writes an entry and queues a job for it in one round trip: the two keys may live on different
   * shards, so they go as two commands sent together. The job is queued whether or not the write
   * applied; a caller whose write did not apply {@link #done drops} it again.
   *
   * @param encodedKey the entry's encoded key
   * @param write the entry's write
   * @param bound at most this many messages may be queued (not yet taken) before this one
   * @param fields the message
   * @return what both did
   */
  public Enqueued writeAndEnqueue(byte[] encodedKey, Write write, int bound,
      Map<String, byte[]> fields) {
    List<List<Object>> replies = store.changing(List.of(encodedKey), () -> connector.send(List.of(
        store.writeCall(List.of(encodedKey), List.of(write)), enqueueCall(bound, fields)),
        "Storing a placeholder and queueing its job", true));
    return new Enqueued(EntryStore.toResult(replies.get(0), 0), queuedId(replies.get(1)));
  }

  /**
   * @param bound at most this many messages may be queued (not yet taken) before this one
   * @param fields the message
   * @return its id, or {@code null} if the queue was full
   */
  public String enqueue(int bound, Map<String, byte[]> fields) {
    return queuedId(connector.send(enqueueCall(bound, fields), "Queueing a job", true));
  }

  private Call<List<Object>> enqueueCall(int bound, Map<String, byte[]> fields) {
    return QUEUE.call(key, args(fields, utf8("Q"), GROUP, utf8(Integer.toString(bound)), channel));
  }

  private static String queuedId(List<Object> reply) {
    return (Long) reply.get(0) == 1L ? text(reply.get(1)) : null;
  }

  /**
   * Takes the next job for a worker: first one whose worker stopped beating, else the oldest
   * queued.
   *
   * @param consumer the worker's name, unique per JVM and cache
   * @param deadAfter how long a taken message must have gone without a beat to count as dead
   * @return the message, or {@code null} if there is none
   */
  public Message take(String consumer, Duration deadAfter) {
    List<Object> reply = connector.send(QUEUE.call(key, utf8("T"), GROUP, utf8(consumer),
        utf8(Long.toString(deadAfter.toMillis()))), "Taking a queued job", true);
    if (reply.isEmpty()) {
      return null;
    }
    Map<String, byte[]> fields = new LinkedHashMap<>();
    for (int i = 2; i + 1 < reply.size(); i += 2) {
      fields.put(text(reply.get(i)), (byte[]) reply.get(i + 1));
    }
    return new Message(text(reply.get(0)), ((Long) reply.get(1)).intValue(), fields);
  }

  /**
   * Marks a running message alive, so that nobody takes it for a dead worker's.
   *
   * @return whether the consumer still held it (another worker took it over if not)
   */
  public boolean beat(String consumer, String id) {
    return (Long) connector.send(QUEUE.call(key, utf8("B"), GROUP, utf8(consumer), utf8(id)),
        "Beating on a running job", true).get(0) == 1L;
  }

  /** Removes a message, taken or not: its job is done, or was never needed. */
  public void done(String id) {
    connector.send(QUEUE.call(key, utf8("D"), GROUP, utf8(id)), "Removing a finished job", true);
  }

  /**
   * Puts a taken message back at the end of the queue, with new fields, for another worker.
   *
   * @return the new message's id
   */
  public String handBack(String id, Map<String, byte[]> fields) {
    return text(connector.send(QUEUE.call(key, args(fields, utf8("H"), GROUP, utf8(id), channel)),
        "Handing a job back to the queue", true).get(0));
  }

  /**
   * The queue as it is now.
   *
   * @param queued messages no worker has taken yet
   * @param oldest when the oldest of them was queued, or {@code null} if none is
   */
  public record Backlog(long queued, Instant oldest) {}

  /** @return the queue as it is now */
  public Backlog backlog() {
    List<Object> reply = connector.send(QUEUE.call(key, utf8("S"), GROUP), "Reading the job queue",
        false);
    long oldest = (Long) reply.get(1);
    return new Backlog((Long) reply.get(0), oldest < 0 ? null : Instant.ofEpochMilli(oldest));
  }

  private static byte[][] args(Map<String, byte[]> fields, byte[]... head) {
    byte[][] args = new byte[head.length + 2 * fields.size()][];
    System.arraycopy(head, 0, args, 0, head.length);
    int i = head.length;
    for (Map.Entry<String, byte[]> field : fields.entrySet()) {
      args[i++] = utf8(field.getKey());
      args[i++] = field.getValue();
    }
    return args;
  }

  private static String text(Object bulk) {
    return new String((byte[]) bulk, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.stepper.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Redis commands of one cache's entries, addressed by their encoded keys.
 *
 * <p>Single-key calls cost one round trip. Calls on many keys are one round trip too: on a single
 * server one command (or one script run) carries the keys of a whole batch; on a Redis Cluster
 * each key gets its own command, and the commands go out together, each to its key's master, so
 * that no command ever touches keys of two hash slots. Thread-safe.
 */
public final class EntryStore {

  private static final byte[] NONE = new byte[0];
  private static final LuaScript WRITE = LuaScript.load("write.lua");
  /** At most this many keys per command on a single server, so no call blocks Redis for long. */
  private static final int KEYS_PER_COMMAND = 256;

  private final RedisConnector connector;
  private final KeyLayout layout;
  private final byte[] channel;
  private final byte[] presence;
  private final byte[] origin;
  private final Audience audience = new Audience();
  private final RemoteReads remote;
  private final EntryReads reads;

  /** @param reads how entries are served: {@code remote}, or a near cache over it */
  EntryStore(RedisConnector connector, KeyLayout layout, RemoteReads remote, EntryReads reads) {
    this.connector = connector;
    this.layout = layout;
    this.remote = remote;
    this.reads = reads;
    this.channel = utf8(layout.eventChannel());
    this.presence = utf8(layout.presenceChannel());
    this.origin = utf8(connector.origin());
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
   * Reads what Redis holds now, never a near cache's copy: for the reads that a compare-and-set
   * or a job's decision builds on.
   *
   * @param key an encoded key
   * @return the stored bytes, or {@code null}
   */
  public byte[] get(byte[] key) {
    return remote.get(key);
  }

  /**
   * Reads entries to serve them: from this JVM's near cache where it has them.
   *
   * @param keys encoded keys
   * @return the stored bytes of each, {@code null} where absent, in the same order
   */
  public List<byte[]> getAll(List<byte[]> keys) {
    return reads.getAll(keys);
  }

  /**
   * @param key an encoded key
   * @return whether the entry exists
   */
  public boolean contains(byte[] key) {
    return containsAll(List.of(key)).get(0);
  }

  /**
   * @param keys encoded keys
   * @return for each, whether it exists, in the same order
   */
  public List<Boolean> containsAll(List<byte[]> keys) {
    return connector.send(keys.stream().map(key -> Call.exists(layout.entryKey(key))).toList(),
        "EXISTS of " + keys.size() + " keys", false);
  }

  /**
   * Reads an entry and the time it has left, to serve it: from this JVM's near cache where it has
   * it, else in one round trip.
   *
   * @param key an encoded key
   * @return the entry, or {@code null} if absent
   */
  public TimedValue getWithTtl(byte[] key) {
    return reads.getWithTtl(key);
  }

  /**
   * As {@link #getWithTtl}, but what Redis holds now, never a near cache's copy.
   *
   * @param key an encoded key
   * @return the entry, or {@code null} if absent
   */
  public TimedValue getWithTtlFromRedis(byte[] key) {
    return remote.getWithTtl(key);
  }

  /**
   * @return the job records (leases and failure backoff) of this cache's entries
   */
  public JobRecords jobRecords() {
    return new JobRecords(connector, layout, layout::jobRecordKey, "Job record");
  }

  /**
   * @return the leases that let one {@code invoke} at a time, in any JVM, work on an absent entry
   *     (Spring's {@code @Cacheable(sync = true)} is such an invoke), apart from the job records
   */
  public JobRecords flights() {
    return new JobRecords(connector, layout, layout::flightKey, "Invoke lease");
  }

  /** @return the queue of this cache's generation jobs, shared by every JVM */
  public JobQueue jobQueue() {
    return new JobQueue(connector, this, layout);
  }

  /** @return the call budgets of this cache's jobs, shared by every JVM */
  public CallBudgets callBudgets() {
    return new CallBudgets(connector, layout);
  }

  /**
   * Applies writes: with the write script, or, while nobody listens to the cache's events
   * ({@link Audience}), as plain {@code SET}s (one {@code MSET} per batch on a single server when
   * every entry is eternal) if every write is {@linkplain Write#plainTtl plain}.
   *
   * @param keys encoded keys
   * @param writes the change of each, in the same order
   * @return what each found and did, in the same order
   */
  public List<WriteResult> writeAll(List<byte[]> keys, List<Write> writes) {
    if (keys.isEmpty()) {
      return List.of();
    }
    String what = keys.size() == 1 ? "Writing an entry" : "Writing " + keys.size() + " entries";
    boolean oneServer = connector.oneServer();
    List<Ttl> plainTtls = plainTtls(writes, oneServer);
    Audience.Admission admission = plainTtls == null ? Audience.Admission.SCRIPT
        : audience.admit();
    reads.writing(keys);
    try {
      if (admission == Audience.Admission.PLAIN) {
        connector.send(plainCalls(keys, writes, plainTtls, oneServer), what, true);
        return Collections.nCopies(keys.size(), WriteResult.STORED_BLIND);
      }
      return runScript(keys, writes, what, oneServer);
    } finally {
      reads.writing(keys);
      if (admission == Audience.Admission.RENEW) {
        audience.renewalDone();
      }
    }
  }

  private List<WriteResult> runScript(List<byte[]> keys, List<Write> writes, String what,
      boolean oneServer) {
    int perCall = oneServer ? KEYS_PER_COMMAND : 1;
    var calls = new ArrayList<Call<List<Object>>>();
    for (int from = 0; from < keys.size(); from += perCall) {
      int to = Math.min(keys.size(), from + perCall);
      calls.add(writeCall(keys.subList(from, to), writes.subList(from, to)));
    }
    boolean changes = writes.stream().anyMatch(write -> !write.probe());
    long sentAt = System.nanoTime();
    var results = new ArrayList<WriteResult>(keys.size());
    boolean listened = false;
    for (List<Object> reply : connector.send(calls, what, changes)) {
      int entries = reply.size() - 1;
      for (int i = 0; i < entries; i += 3) {
        results.add(toResult(reply, i));
      }
      listened |= (Long) reply.get(entries) != 0L;
    }
    if (changes) {
      audience.heard(sentAt, listened);
    }
    return results;
  }

  /**
   * @return the time-to-live of each write if all may go as plain commands, else {@code null}:
   *     one of them needs the script, or a batch on one server has time-to-lives, which one script
   *     run applies faster than a {@code SET} per entry
   */
  private static List<Ttl> plainTtls(List<Write> writes, boolean oneServer) {
    List<Ttl> ttls = new ArrayList<>(writes.size());
    for (Write write : writes) {
      Ttl ttl = write.plainTtl();
      if (ttl == null || oneServer && writes.size() > 1 && ttl != Ttl.ETERNAL) {
        return null;
      }
      ttls.add(ttl);
    }
    return ttls;
  }

  /** @return the writes as {@code SET}s, or on one server as {@code MSET}s of eternal entries */
  private List<Call<String>> plainCalls(List<byte[]> keys, List<Write> writes, List<Ttl> ttls,
      boolean oneServer) {
    if (!oneServer || keys.size() == 1) {
      var calls = new ArrayList<Call<String>>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        calls.add(Call.set(layout.entryKey(keys.get(i)), writes.get(i).value(), ttls.get(i)));
      }
      return calls;
    }
    List<byte[]> redisKeys = keys.stream().map(layout::entryKey).toList();
    List<byte[]> values = writes.stream().map(Write::value).toList();
    var calls = new ArrayList<Call<String>>();
    for (int from = 0; from < keys.size(); from += KEYS_PER_COMMAND) {
      int to = Math.min(keys.size(), from + KEYS_PER_COMMAND);
      calls.add(Call.mset(redisKeys.subList(from, to), values.subList(from, to)));
    }
    return calls;
  }

  /** @return the write script's call; a caller that sends it wraps the send in {@link #changing} */
  Call<List<Object>> writeCall(List<byte[]> keys, List<Write> writes) {
    byte[][] redisKeys = new byte[keys.size()][];
    byte[][] args = new byte[3 + 6 * keys.size()][];
    // probes announce nothing, so they need not ask who listens
    boolean changes = writes.stream().anyMatch(write -> !write.probe());
    args[0] = !changes ? NONE : connector.oneServer() ? channel : presence;
    args[1] = channel;
    args[2] = origin;
    for (int i = 0; i < keys.size(); i++) {
      Write write = writes.get(i);
      redisKeys[i] = layout.entryKey(keys.get(i));
      int a = 3 + 6 * i;
      args[a] = utf8(write.condition().arg());
      args[a + 1] = utf8(write.action().arg);
      args[a + 2] = write.value();
      args[a + 3] = utf8(write.ifCreated().arg());
      args[a + 4] = utf8(write.ifExisting().arg());
      args[a + 5] = utf8(write.flags());
    }
    return WRITE.call(redisKeys, args);
  }

  static WriteResult toResult(List<Object> reply, int at) {
    String outcome = new String((byte[]) reply.get(at), StandardCharsets.UTF_8);
    boolean existed = ((Long) reply.get(at + 1)) == 1L;
    byte[] previous = (byte[]) reply.get(at + 2);
    return new WriteResult(switch (outcome) {
      case "A" -> WriteResult.Outcome.APPLIED;
      case "P" -> WriteResult.Outcome.PROBED;
      default -> WriteResult.Outcome.CONDITION_FAILED;
    }, existed, previous);
  }

  /**
   * Removes entries without announcing it (for {@code clear()}).
   *
   * @param keys encoded keys
   * @return how many existed
   */
  public long deleteAll(List<byte[]> keys) {
    List<byte[]> redisKeys = keys.stream().map(layout::entryKey).toList();
    List<List<byte[]>> perCommand = connector.oneServer() ? chunks(redisKeys)
        : redisKeys.stream().map(List::of).toList();
    return changing(keys, () -> connector.send(perCommand.stream().map(Call::unlink).toList(),
        "UNLINK of " + keys.size() + " keys", true).stream().mapToLong(Long::longValue).sum());
  }

  /**
   * Sends something that changes these entries, forgetting this JVM's copies of them before it is
   * sent and again once it is done, so that a read that begins after it returned never sees what
   * it replaced. ({@link #writeAll} does the same around its own renewal.)
   */
  <T> T changing(List<byte[]> keys, Supplier<T> send) {
    reads.writing(keys);
    try {
      return send.get();
    } finally {
      reads.writing(keys);
    }
  }

  /**
   * @return the near cache's hits, misses, invalidations, drops, size and serving flag (1 or 0);
   *     zeros if the cache has none
   */
  public long[] nearCacheCounts() {
    return reads.nearCacheCounts();
  }

  /** Stops tracking the cache's keys for its near cache, if it has one. */
  public void close() {
    reads.close();
  }

  static List<List<byte[]>> chunks(List<byte[]> keys) {
    var chunks = new ArrayList<List<byte[]>>();
    for (int from = 0; from < keys.size(); from += KEYS_PER_COMMAND) {
      chunks.add(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_COMMAND)));
    }
    return chunks;
  }

  /**
   * Walks the cache's keys with SCAN, a batch at a time, so that memory stays bounded however large
   * the cache; on a cluster, every master in turn. A key present throughout is seen exactly once,
   * also while a cluster moves slots between masters; keys added or removed meanwhile may or may
   * not be.
   *
   * @param batchSize the COUNT hint per SCAN call
   * @return the batches of encoded keys
   */
  public Iterator<List<byte[]>> scan(int batchSize) {
    KeyWalk walk = connector.cluster() == null
        ? new ServerKeyWalk(connector, layout, batchSize)
        : new ClusterKeyWalk(connector, layout, batchSize);
    return walk;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

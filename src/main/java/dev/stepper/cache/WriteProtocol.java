package dev.stepper.cache;

import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import dev.stepper.cache.redis.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.cache.CacheException;

/**
 * Sends writes to Redis, probing first when Java code must run in between.
 *
 * <p>Some decisions depend on whether the entry exists: which expiry-policy method to ask, and
 * whether to call the cache writer (which must run before Redis changes). Such writes go as a
 * probe, then Java decides, then the write follows under a condition narrowed to what the probe
 * saw. If an unconditional write finds that another client created or removed the entry in
 * between, it is probed and decided again (within the timeout); a conditional write whose
 * condition stopped holding simply fails, as it would have without the probe. The writer may then
 * have been called for a change Redis did not make: write-through is exact within one JVM and
 * best-effort under races between JVMs. Writes needing no decision go at once: one round trip.
 */
final class WriteProtocol {

  /** Decides, for the write at {@code index}, what Java must do before it is sent. */
  interface Decision {
    /**
     * Runs what must precede the write (a cache writer call) and chooses its time-to-live.
     *
     * @param index the write's position in the batch
     * @param existed whether the probe found the entry
     * @return the time-to-live for that case ({@link Ttl#KEEP} when it does not matter)
     */
    Ttl decide(int index, boolean existed);
  }

  /** A write as it was finally sent, and what Redis answered. */
  record Sent(Write write, WriteResult result) {

    boolean applied() {
      return result.outcome() == WriteResult.Outcome.APPLIED;
    }

    boolean existed() {
      return result.existed();
    }

    byte[] previous() {
      return result.previous();
    }

    /** @return whether a new entry was stored (not one whose creation expiry was zero) */
    boolean created() {
      return applied() && write.action() == Write.Action.SET && !existed()
          && write.ifCreated() != Ttl.ZERO;
    }

    /** @return whether a blind write stored its value without looking at what was there */
    boolean storedBlind() {
      return result.outcome() == WriteResult.Outcome.STORED;
    }

    /** @return whether an existing entry got a new value */
    boolean updated() {
      return applied() && write.action() == Write.Action.SET && existed();
    }

    /** @return whether the update's expiry was zero, so that the entry is already gone */
    boolean expiredOnUpdate() {
      return updated() && write.ifExisting() == Ttl.ZERO;
    }

    /** @return whether an entry was removed */
    boolean removed() {
      return applied() && write.action() == Write.Action.DELETE && existed();
    }
  }

  private final EntryStore store;
  private final long raceBudgetNanos;

  WriteProtocol(EntryStore store, Duration timeout) {
    this.store = store;
    this.raceBudgetNanos = timeout.toNanos();
  }

  Sent apply(byte[] key, Write write, Decision decision) {
    return applyAll(List.of(key), List.of(write), decision).get(0);
  }

  /**
   * @param keys encoded keys
   * @param writes their writes
   * @param decision {@code null} if the writes are complete as they are
   * @return what happened to each, in order
   */
  List<Sent> applyAll(List<byte[]> keys, List<Write> writes, Decision decision) {
    if (decision == null) {
      var results = store.writeAll(keys, writes);
      var sent = new ArrayList<Sent>(writes.size());
      for (int i = 0; i < writes.size(); i++) {
        sent.add(new Sent(writes.get(i), results.get(i)));
      }
      return sent;
    }
    var sent = new ArrayList<Sent>(Collections.nCopies(writes.size(), null));
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      pending.add(i);
    }
    long deadline = System.nanoTime() + raceBudgetNanos;
    while (!pending.isEmpty()) {
      pending = probeAndWrite(keys, writes, decision, pending, sent,
          System.nanoTime() - deadline > 0);
    }
    return sent;
  }

  /**
   * One probe-decide-write round over the pending writes.
   *
   * @return the unconditional writes that lost a race and go round again
   */
  private List<Integer> probeAndWrite(List<byte[]> keys, List<Write> writes, Decision decision,
      List<Integer> pending, List<Sent> sent, boolean lastRound) {
    List<WriteResult> probes = store.writeAll(select(keys, pending),
        pending.stream().map(i -> writes.get(i).asProbe()).toList());
    var decidedIndexes = new ArrayList<Integer>();
    var decided = new ArrayList<Write>();
    for (int p = 0; p < pending.size(); p++) {
      int i = pending.get(p);
      WriteResult probe = probes.get(p);
      sent.set(i, new Sent(writes.get(i), probe));
      if (probe.holds()) {
        decidedIndexes.add(i);
        decided.add(writes.get(i).afterProbe(probe.existed(), decision.decide(i, probe.existed())));
      }
    }
    List<WriteResult> results = store.writeAll(select(keys, decidedIndexes), decided);
    List<Integer> raced = new ArrayList<>();
    for (int d = 0; d < decided.size(); d++) {
      int i = decidedIndexes.get(d);
      sent.set(i, new Sent(decided.get(d), results.get(d)));
      // Only an unconditional write was narrowed by the probe; it lost to a concurrent change.
      if (!results.get(d).holds() && writes.get(i).condition().equals(Condition.ANY)) {
        raced.add(i);
      }
    }
    if (!raced.isEmpty() && lastRound) {
      throw new CacheException("Writing " + raced.size() + " entries of " + store.layout()
          + " lost every race with concurrent writers within the timeout");
    }
    return raced;
  }

  private static List<byte[]> select(List<byte[]> keys, List<Integer> indexes) {
    return indexes.stream().map(keys::get).toList();
  }
}

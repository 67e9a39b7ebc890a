package dev.stepper.cache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.CacheException;

/**
 * A walk over a cache's keys on a Redis Cluster that sees every key present throughout exactly
 * once, even while slots move between masters.
 *
 * <p>It plans, from the slot map at the start, which master answers for each slot, and SCANs
 * every master in turn, keeping only keys of the slots planned for it: a key that moves to a
 * master scanned later is not returned twice. When a master's SCAN ends, the master says which
 * slots it still serves undisturbed ({@code CLUSTER NODES}); a planned slot it gave away or is
 * moving meanwhile may have lost keys to another master, so that slot is read again where it now
 * lives ({@code CLUSTER GETKEYSINSLOT} on the source, then on the target of a move still under
 * way), skipping the keys already returned. A slot may also leave and come back while the SCAN
 * runs; the master's configuration epoch then grows (it grows whenever a master takes a slot
 * over), and every slot planned for it is read again. To know those, the walk remembers a 64-bit hash of
 * every key returned from the master being scanned, 8 bytes a key, forgotten when the next master
 * starts: memory stays bounded by the keys of one master, not the whole cache.
 */
final class ClusterKeyWalk extends KeyWalk {

  private static final int KEYS_PER_SLOT_READ = Integer.MAX_VALUE;
  /** Slots read again per batch: each costs a command on its master (two while it moves). */
  private static final int SLOTS_PER_READ = 256;
  /** A slot that has no master after this many tries fails the walk. */
  private static final int SLOT_READ_ATTEMPTS = 50;
  private static final long RETRY_PAUSE_MILLIS = 20;

  private final RedisConnector connector;
  private final ClusterConnection cluster;
  private final KeyLayout layout;
  private final int batchSize;
  /** The node id planned to answer for each slot, or {@code null} if no master served it. */
  private final String[] planned = new String[SlotHash.SLOT_COUNT];
  private final Deque<RedisClusterNode> masters = new ArrayDeque<>();
  /** Slots to read again where they are now, and the keys of theirs already returned. */
  private final Deque<Integer> unsettled = new ArrayDeque<>();
  private final Set<Long> returnedOfUnsettled = new HashSet<>();
  private int slotReadAttempts;
  private RedisClusterNode current;
  private long currentEpoch;
  private ScanCursor cursor;
  private long[] returned = new long[1024];
  private int returnedCount;

  ClusterKeyWalk(RedisConnector connector, KeyLayout layout, int batchSize) {
    this.connector = connector;
    this.cluster = connector.cluster();
    this.layout = layout;
    this.batchSize = batchSize;
    for (RedisClusterNode node : cluster.masterNodes()) {
      masters.add(node);
      for (int slot : node.getSlots()) {
        planned[slot] = node.getNodeId();
      }
    }
    for (int slot = 0; slot < planned.length; slot++) {
      if (planned[slot] == null) {
        unsettled.add(slot);
      }
    }
  }

  @Override
  List<byte[]> nextBatch() {
    try {
      if (current == null && !masters.isEmpty()) {
        current = masters.poll();
        cursor = ScanCursor.INITIAL;
        returnedCount = 0;
        currentEpoch = self(current).epoch();
      }
      if (current != null) {
        return cursor.isFinished() ? settle() : scanPage();
      }
    } catch (CacheException failure) {
      return skipUnreachable(failure);
    }
    return unsettled.isEmpty() ? null : readUnsettled();
  }

  /**
   * A master that does not answer may have died and been replaced before Lettuce's view said so:
   * with the view reloaded, the slots planned for it are read again where they now live. A master
   * still in the view fails the walk, as no one else serves its slots.
   */
  private List<byte[]> skipUnreachable(CacheException failure) {
    cluster.reloadTopology(connector.settings().timeout());
    String id = current.getNodeId();
    if (cluster.masterNodes().stream().anyMatch(node -> node.getNodeId().equals(id))) {
      throw failure;
    }
    return unsettle(new BitSet());
  }

  private List<byte[]> scanPage() {
    KeyScanCursor<byte[]> page = connector.send(cluster.server(current),
        Call.scan(cursor, layout.scanPattern(), batchSize), "SCAN");
    cursor = page;
    var batch = new ArrayList<byte[]>(page.getKeys().size());
    for (byte[] key : page.getKeys()) {
      int slot = SlotHash.getSlot(key);
      if (current.getNodeId().equals(planned[slot])) {
        remember(slot, key);
        batch.add(layout.encodedKey(key));
      }
    }
    return batch;
  }

  /**
   * Ends the current master's part: the planned slots it no longer serves undisturbed are read
   * again later, and the keys of theirs it returned are remembered until then.
   */
  private List<byte[]> settle() {
    ClusterNodesView.Node self = self(current);
    return unsettle(self.epoch() == currentEpoch ? self.stableSlots() : new BitSet());
  }

  /** Ends the current master's part, marking the slots planned for it but not stable unsettled. */
  private List<byte[]> unsettle(BitSet stable) {
    BitSet moved = new BitSet();
    for (int slot = 0; slot < planned.length; slot++) {
      if (current.getNodeId().equals(planned[slot]) && !stable.get(slot)) {
        moved.set(slot);
        unsettled.add(slot);
      }
    }
    for (int i = 0; i < returnedCount; i++) {
      if (moved.get((int) (returned[i] >>> 50))) {
        returnedOfUnsettled.add(returned[i]);
      }
    }
    current = null;
    return List.of();
  }

  private void remember(int slot, byte[] key) {
    if (returnedCount == returned.length) {
      returned = Arrays.copyOf(returned, returned.length * 2);
    }
    returned[returnedCount++] = tagged(slot, key);
  }

  /** The slot in the top 14 bits, 50 bits of the key's FNV-1a hash below. */
  private static long tagged(int slot, byte[] key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : key) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    hash ^= hash >>> 29;
    return ((long) slot << 50) | (hash & ((1L << 50) - 1));
  }

  /**
   * Reads a batch of slots where they live now, as every master says of itself: from the owner,
   * and for a slot being moved, from the source first and then from the target, since keys only
   * travel from one to the other. A slot whose state changed while it was read (a move began,
   * ended or changed hands) is read again; a slot no master owns just now is tried again later.
   */
  private List<byte[]> readUnsettled() {
    List<ClusterNodesView.Node> selves = selves();
    List<SlotHolder> owners = new ArrayList<>();
    List<SlotHolder> targets = new ArrayList<>();
    List<Integer> orphans = new ArrayList<>();
    Map<Integer, String> before = new LinkedHashMap<>();
    for (int i = 0; i < SLOTS_PER_READ && !unsettled.isEmpty(); i++) {
      int slot = unsettled.poll();
      ClusterNodesView.Node owner = ownerOf(selves, slot);
      if (owner == null) {
        orphans.add(slot);
        continue;
      }
      before.put(slot, state(selves, slot));
      owners.add(new SlotHolder(slot, owner));
      String target = owner.migrating().get(slot);
      if (target != null) {
        selves.stream().filter(self -> self.id().equals(target)).findFirst()
            .ifPresent(self -> targets.add(new SlotHolder(slot, self)));
      }
    }
    var batch = new ArrayList<byte[]>();
    for (List<SlotHolder> holders : List.of(owners, targets)) {
      for (byte[] key : readKeys(holders)) {
        int slot = SlotHash.getSlot(key);
        if (layout.owns(key) && returnedOfUnsettled.add(tagged(slot, key))) {
          batch.add(layout.encodedKey(key));
        }
      }
    }
    List<ClusterNodesView.Node> after = selves();
    before.forEach((slot, state) -> {
      if (!state.equals(state(after, slot))) {
        unsettled.add(slot);
      }
    });
    unsettled.addAll(orphans);
    if (!orphans.isEmpty() && owners.isEmpty()) {
      waitForAnOwner(orphans.get(0));
    }
    return batch;
  }

  private List<ClusterNodesView.Node> selves() {
    return cluster.masterNodes().stream().map(this::self).toList();
  }

  private static ClusterNodesView.Node ownerOf(List<ClusterNodesView.Node> selves, int slot) {
    return selves.stream().filter(self -> self.slots().get(slot)).findFirst().orElse(null);
  }

  /** Who serves a slot, at which epoch, and where it is moving: equal states mean no key moved. */
  private static String state(List<ClusterNodesView.Node> selves, int slot) {
    StringBuilder state = new StringBuilder();
    for (ClusterNodesView.Node self : selves) {
      if (self.slots().get(slot) || self.importing().containsKey(slot)) {
        state.append(self.id()).append('@').append(self.epoch())
            .append(self.migrating().getOrDefault(slot, "")).append(';');
      }
    }
    return state.toString();
  }

  private record SlotHolder(int slot, ClusterNodesView.Node node) {}

  /** @return what a node says of itself */
  private ClusterNodesView.Node self(RedisClusterNode node) {
    return ClusterNodesView.parse(connector.send(cluster.server(node), Call.clusterNodes(),
        "CLUSTER NODES")).myself();
  }

  /** Reads the keys of the slots from their holders, one round trip to each holder at once. */
  private List<byte[]> readKeys(List<SlotHolder> holders) {
    Map<String, List<SlotHolder>> byNode = new LinkedHashMap<>();
    for (SlotHolder holder : holders) {
      byNode.computeIfAbsent(holder.node().id(), id -> new ArrayList<>()).add(holder);
    }
    var keys = new ArrayList<byte[]>();
    for (List<SlotHolder> ofNode : byNode.values()) {
      ClusterNodesView.Node node = ofNode.get(0).node();
      Connection.Server server = cluster.server(node.host(), node.port(), node.id());
      connector.send(server, ofNode.stream()
          .map(holder -> Call.keysInSlot(holder.slot(), KEYS_PER_SLOT_READ)).toList(),
          "CLUSTER GETKEYSINSLOT").forEach(keys::addAll);
    }
    return keys;
  }

  private void waitForAnOwner(int slot) {
    if (++slotReadAttempts > SLOT_READ_ATTEMPTS) {
      throw new CacheException("Iterating " + layout + ": no master serves slot " + slot
          + " (tried " + SLOT_READ_ATTEMPTS + " times); check the cluster's state");
    }
    try {
      Thread.sleep(RETRY_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("Interrupted while iterating " + layout, e);
    }
  }
}

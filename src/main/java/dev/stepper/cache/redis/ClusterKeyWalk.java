package dev.stepper.cache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
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
 * way), skipping the keys already returned. To know those, the walk remembers a 64-bit hash of
 * every key returned from the master being scanned, 8 bytes a key, forgotten when the next master
 * starts: memory stays bounded by the keys of one master, not the whole cache.
 */
final class ClusterKeyWalk extends KeyWalk {

  private static final int KEYS_PER_SLOT_READ = Integer.MAX_VALUE;
  /** A slot still moving after this many reads of it is given up on. */
  private static final int SLOT_READ_ATTEMPTS = 50;
  private static final long RETRY_PAUSE_MILLIS = 20;

  private final RedisConnector connector;
  private final ClusterConnection cluster;
  private final KeyLayout layout;
  private final int batchSize;
  /** The node id planned to answer for each slot, or {@code null} if no master served it. */
  private final String[] planned = new String[SlotHash.SLOT_COUNT];
  private final Deque<RedisClusterNode> masters = new ArrayDeque<>();
  private final Deque<Integer> unsettledSlots = new ArrayDeque<>();
  private final Deque<Set<Long>> returnedInUnsettled = new ArrayDeque<>();
  private RedisClusterNode current;
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
        unsettledSlots.add(slot);
        returnedInUnsettled.add(Set.of());
      }
    }
  }

  @Override
  List<byte[]> nextBatch() {
    if (current == null && !masters.isEmpty()) {
      current = masters.poll();
      cursor = ScanCursor.INITIAL;
      returnedCount = 0;
    }
    if (current != null) {
      return cursor.isFinished() ? settle() : scanPage();
    }
    if (!unsettledSlots.isEmpty()) {
      return readSlot(unsettledSlots.poll(), returnedInUnsettled.poll());
    }
    return null;
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

  /** Ends the current master's part: its planned slots it no longer serves undisturbed are read again. */
  private List<byte[]> settle() {
    BitSet stable = view(cluster.server(current)).myself().stableSlots();
    for (int slot = 0; slot < planned.length; slot++) {
      if (current.getNodeId().equals(planned[slot]) && !stable.get(slot)) {
        unsettledSlots.add(slot);
        returnedInUnsettled.add(returnedIn(slot));
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

  private Set<Long> returnedIn(int slot) {
    Set<Long> keys = new HashSet<>();
    for (int i = 0; i < returnedCount; i++) {
      if ((int) (returned[i] >>> 50) == slot) {
        keys.add(returned[i]);
      }
    }
    return keys;
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
   * Reads a slot where it lives now: from its owner, and when a move is under way from the
   * source first and then from the target, since keys only travel from one to the other.
   */
  private List<byte[]> readSlot(int slot, Set<Long> alreadyReturned) {
    for (int attempt = 0; attempt < SLOT_READ_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        pause();
      }
      ClusterNodesView.Node owner = ownerOf(slot);
      if (owner == null) {
        continue;
      }
      Connection.Server ownerServer = server(owner);
      ClusterNodesView.Node self = view(ownerServer).myself();
      List<Connection.Server> holders = new ArrayList<>();
      if (self.importing().containsKey(slot)) {
        holders.add(server(self.importing().get(slot), ownerServer));
      }
      if (self.slots().get(slot) || self.importing().containsKey(slot)) {
        holders.add(ownerServer);
      }
      if (self.migrating().containsKey(slot)) {
        holders.add(server(self.migrating().get(slot), ownerServer));
      }
      if (holders.isEmpty()) {
        continue;
      }
      Set<ByteBuffer> seen = new HashSet<>();
      var batch = new ArrayList<byte[]>();
      for (Connection.Server holder : holders) {
        for (byte[] key : connector.send(holder, Call.keysInSlot(slot, KEYS_PER_SLOT_READ),
            "CLUSTER GETKEYSINSLOT " + slot)) {
          if (layout.owns(key) && !alreadyReturned.contains(tagged(slot, key))
              && seen.add(ByteBuffer.wrap(key))) {
            batch.add(layout.encodedKey(key));
          }
        }
      }
      return batch;
    }
    throw new CacheException("Iterating " + layout + ": slot " + slot + " has no master that"
        + " serves it, or kept moving, after " + SLOT_READ_ATTEMPTS + " tries");
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("Interrupted while iterating", e);
    }
  }

  private ClusterNodesView.Node ownerOf(int slot) {
    for (RedisClusterNode node : cluster.masterNodes()) {
      ClusterNodesView.Node owner = view(cluster.server(node)).ownerOf(slot);
      if (owner != null) {
        return owner;
      }
    }
    return null;
  }

  private ClusterNodesView view(Connection.Server server) {
    return ClusterNodesView.parse(connector.send(server, Call.clusterNodes(), "CLUSTER NODES"));
  }

  private Connection.Server server(ClusterNodesView.Node node) {
    return cluster.server(node.host(), node.port(), node.id());
  }

  private Connection.Server server(String nodeId, Connection.Server askedOf) {
    ClusterNodesView.Node node = view(askedOf).node(nodeId);
    if (node == null) {
      throw new CacheException("Iterating " + layout + ": " + askedOf.address()
          + " names node " + nodeId + ", which it does not know");
    }
    return server(node);
  }
}

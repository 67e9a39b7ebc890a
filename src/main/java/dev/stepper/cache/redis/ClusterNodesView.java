package dev.stepper.cache.redis;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's reply to {@code CLUSTER NODES}: every node it knows with the slots it believes that
 * node serves, and, for the node itself, the slots it is migrating away or importing. Only a
 * node's own line is authoritative for its own slots; the rest is its view of the others.
 */
final class ClusterNodesView {

  /**
   * A node as the view describes it.
   *
   * @param id the node id
   * @param host its host
   * @param port its port
   * @param master whether it is a master
   * @param myself whether it is the node that answered
   * @param epoch its configuration epoch, which grows when it takes over slots
   * @param slots the slots it serves (for itself: including those it is migrating away)
   * @param migrating for the answering node, the slots it is moving away, to the target's id
   * @param importing for the answering node, the slots it is taking over, from the source's id
   */
  record Node(String id, String host, int port, boolean master, boolean myself, long epoch,
      BitSet slots,
      Map<Integer, String> migrating, Map<Integer, String> importing) {

    /** @return the slots it serves and is not moving in or out */
    BitSet stableSlots() {
      BitSet stable = (BitSet) slots.clone();
      migrating.keySet().forEach(stable::clear);
      importing.keySet().forEach(stable::clear);
      return stable;
    }
  }

  private final List<Node> nodes;

  private ClusterNodesView(List<Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * @param reply the text of {@code CLUSTER NODES}
   * @return the view
   * @throws IllegalArgumentException if a line is not of the documented form
   */
  static ClusterNodesView parse(String reply) {
    List<Node> nodes = new ArrayList<>();
    for (String line : reply.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(parseLine(line.trim()));
      }
    }
    return new ClusterNodesView(nodes);
  }

  // <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
  private static Node parseLine(String line) {
    String[] fields = line.split(" ");
    if (fields.length < 8) {
      throw new IllegalArgumentException("Not a CLUSTER NODES line: " + line);
    }
    String address = fields[1].split("[@,]")[0];
    int colon = address.lastIndexOf(':');
    List<String> flags = List.of(fields[2].split(","));
    var slots = new BitSet();
    var migrating = new HashMap<Integer, String>();
    var importing = new HashMap<Integer, String>();
    for (int i = 8; i < fields.length; i++) {
      String slot = fields[i];
      if (slot.startsWith("[")) {
        String inner = slot.substring(1, slot.length() - 1);
        int arrow = inner.indexOf("->-");
        if (arrow > 0) {
          migrating.put(Integer.parseInt(inner.substring(0, arrow)), inner.substring(arrow + 3));
        } else {
          int from = inner.indexOf("-<-");
          importing.put(Integer.parseInt(inner.substring(0, from)), inner.substring(from + 3));
        }
      } else {
        int dash = slot.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? slot : slot.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(slot.substring(dash + 1));
        slots.set(first, last + 1);
      }
    }
    return new Node(fields[0], address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)), flags.contains("master"),
        flags.contains("myself"), Long.parseLong(fields[6]), slots, migrating, importing);
  }

  /** @return the node that answered */
  Node myself() {
    return nodes.stream().filter(Node::myself).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("CLUSTER NODES names no 'myself'"));
  }

  /** @return the node of an id, or {@code null} */
  Node node(String id) {
    return nodes.stream().filter(node -> node.id().equals(id)).findFirst().orElse(null);
  }

  /** @return the master that this view says serves a slot, or {@code null} */
  Node ownerOf(int slot) {
    return nodes.stream().filter(node -> node.master() && node.slots().get(slot)).findFirst()
        .orElse(null);
  }
}

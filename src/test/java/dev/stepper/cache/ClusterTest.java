package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.EventRecorder;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisClusterTest;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.StringCaches;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One cache over every shard of a Redis Cluster of three masters: entries spread by their own
 * keys, bulk calls reach every master at once, iteration and clear see every master, and the
 * cluster is found from a plain URI of one node.
 */
@RedisClusterTest
@Timeout(60)
class ClusterTest {

  private static final int ENTRIES = 30_000;

  private final ManagerFixture fixture = new ManagerFixture();
  private RedisEndpoint redis;
  private String prefix;
  private RawRedis raw;
  private Cache<String, String> cache;

  @BeforeEach
  void open(RedisEndpoint redis) {
    this.redis = redis;
    prefix = RedisEndpoint.uniquePrefix("cluster");
    raw = fixture.own(new RawRedis(redis.uri()));
    cache = fixture.manager(redis.uriWithPrefix(prefix)).createCache("spread", StringCaches.config());
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void thirtyThousandEntriesSpreadEvenlyAndAreIteratedAndClearedOnEveryMaster() {
    Map<String, String> entries = entries(ENTRIES);
    cache.putAll(entries);

    List<Long> perMaster = keysPerMaster();
    assertEquals(3, perMaster.size(), "masters: " + perMaster);
    assertEquals(ENTRIES, perMaster.stream().mapToLong(Long::longValue).sum(), "keys: " + perMaster);
    perMaster.forEach(keys -> assertTrue(keys >= 9_000 && keys <= 11_000,
        "each master holds a third of the cache: " + perMaster));

    Set<String> iterated = new HashSet<>();
    int count = 0;
    for (Cache.Entry<String, String> entry : cache) {
      iterated.add(entry.getKey());
      count++;
      assertEquals(entries.get(entry.getKey()), entry.getValue());
    }
    assertEquals(ENTRIES, count, "each entry once");
    assertEquals(entries.keySet(), iterated);

    cache.clear();
    assertEquals(List.of(0L, 0L, 0L), keysPerMaster());
  }

  @Test
  void bulkCallsCoverEveryShardAndRemoveAllEmptiesEachMaster() {
    Map<String, String> entries = entries(1_000);
    cache.putAll(entries);
    Set<String> asked = new TreeSet<>(entries.keySet());
    asked.add("absent");

    assertEquals(entries, cache.getAll(asked));
    assertTrue(entries.keySet().stream().allMatch(cache::containsKey));
    assertFalse(cache.containsKey("absent"));

    Set<String> half = entries.keySet().stream().limit(500).collect(Collectors.toSet());
    cache.removeAll(half);
    assertEquals(500, cache.getAll(entries.keySet()).size());
    assertTrue(half.stream().noneMatch(cache::containsKey));

    cache.removeAll();
    assertEquals(List.of(0L, 0L, 0L), keysPerMaster());
  }

  @Test
  void aBulkCallSendsEachMasterOnlyItsOwnKeysInOneCommandEach() {
    Map<String, String> entries = entries(300);
    cache.putAll(entries);
    raw.masters().forEach(RedisClusterCommands::configResetstat);

    cache.getAll(entries.keySet());

    List<Long> gets = raw.masters().stream().map(master -> commandCalls(master, "get")).toList();
    assertEquals(300, gets.stream().mapToLong(Long::longValue).sum(), "GETs per master: " + gets);
    gets.forEach(calls -> assertTrue(calls > 0, "every master answered its keys: " + gets));
  }

  @Test
  void aPlainUriOfOneNodeFindsTheClusterAndNeverAnswersMoved() {
    String seeds = redis.uri().getRawAuthority();
    String oneNode = seeds.contains(",") ? seeds.substring(0, seeds.indexOf(',')) : seeds;
    Cache<String, String> viaOneNode = fixture.separateCache(
        URI.create(redis.uri().getScheme() + "://" + oneNode + "?prefix=" + prefix), "spread",
        StringCaches.config());

    for (int i = 0; i < 100; i++) {
      viaOneNode.put("k" + i, "v" + i);
      assertEquals("v" + i, cache.get("k" + i));
    }
    assertEquals(100, viaOneNode.getAll(IntStream.range(0, 100).mapToObj(i -> "k" + i)
        .collect(Collectors.toSet())).size());
  }

  @Test
  void scriptsFlushedFromEveryNodeAreLoadedAgainInvisibly() {
    cache.put("a", "1");
    raw.masters().forEach(RedisClusterCommands::scriptFlush);

    cache.put("a", "2");
    assertTrue(cache.replace("a", "2", "3"));
    assertEquals("3", cache.getAndPut("a", "4"));
    assertEquals("4", cache.get("a"));
  }

  @Test
  void anAclUserLimitedToTheManagersKeysAndChannelsIsServedOnEveryShard() throws Exception {
    String user = "u-" + prefix;
    String password = "pw-" + RedisEndpoint.uniquePrefix("acl");
    // ACLs are per node, not replicated: every node gets the user, replicas too.
    raw.nodes().forEach(node -> node.aclSetuser(user, AclSetuserArgs.Builder.on()
        .addPassword(password).keyPattern(prefix + ":*").channelPattern(prefix + ":*")
        .allCommands()));
    Cache<String, String> limited = null;
    try {
      // The user information before the seed list applies to every node.
      limited = fixture.separateCache(URI.create(redis.uri().getScheme()
          + "://" + user + ":" + password + "@" + redis.uri().getRawAuthority() + "?prefix="
          + prefix), "spread", StringCaches.config());
      EventRecorder onOther = EventRecorder.registerOn(cache);
      Map<String, String> entries = entries(300);

      limited.putAll(entries);
      assertEquals(entries, limited.getAll(entries.keySet()));
      int iterated = 0;
      for (Cache.Entry<String, String> ignored : limited) {
        iterated++;
      }
      assertEquals(300, iterated);
      Set<String> heard = new HashSet<>();
      for (int i = 0; i < entries.size(); i++) {
        EventRecorder.Seen seen = onOther.next();
        assertNotNull(seen, "an event for each of " + entries.size() + " writes; heard " + heard.size());
        heard.add(seen.key());
      }
      assertEquals(entries.keySet(), heard, "another manager heard every write, from every shard");
      limited.clear();
      assertEquals(List.of(0L, 0L, 0L), keysPerMaster());
    } finally {
      // Deleting the user disconnects its clients: the manager goes first.
      if (limited != null) {
        limited.getCacheManager().close();
      }
      raw.nodes().forEach(node -> node.aclDeluser(user));
    }
  }

  private List<Long> keysPerMaster() {
    byte[] pattern = RawRedis.utf8(prefix + ":*");
    return raw.masters().stream().map(master -> master.<Long>eval(
        "return #redis.call('keys', ARGV[1])", ScriptOutputType.INTEGER, new byte[0][], pattern))
        .toList();
  }

  private static long commandCalls(RedisClusterCommands<byte[], byte[]> master, String command) {
    String line = master.info("commandstats").lines()
        .filter(l -> l.startsWith("cmdstat_" + command + ":")).findFirst().orElse("calls=0,");
    return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
  }

  private static Map<String, String> entries(int count) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      entries.put("user" + i + ":sha" + Integer.toHexString(i * 7919), "report " + i);
    }
    return entries;
  }
}

package dev.stepper.cache.benchmark;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * The benchmark's work done by one client: a JCache {@code Cache<String, String>} of Stepper or of
 * Redisson, or raw Lettuce doing the same with plain commands (the floor). All three store the
 * same 80-character UTF-8 strings under short string keys, with string codecs on both JCache
 * providers (Stepper's default for {@code String} values is JDK serialization; Redisson's is its
 * own), so that the comparison is about the clients, not the encodings.
 *
 * <p>Providers are always chosen by class name: both are on this class path, so
 * {@code Caching.getCachingProvider()} would refuse to pick one.
 */
abstract class Workload implements AutoCloseable {

  /** The JCache provider class of Stepper Cache. */
  static final String STEPPER_PROVIDER = "dev.stepper.cache.StepperCachingProvider";
  /** The JCache provider class of Redisson. */
  static final String REDISSON_PROVIDER = "org.redisson.jcache.JCachingProvider";

  /** Entries in a bulk call. */
  static final int BATCH = 16;
  /** The key every {@code get} reads. */
  static final String HOT = "hot";
  /** A value of 80 characters. */
  static final String VALUE =
      pad("a commit diary entry of about eighty characters, stored as UTF-8 text", 80);

  /** The keys every {@code getAll} reads. */
  static final Set<String> BATCH_KEYS = batchKeys("batch");

  private static String pad(String s, int length) {
    StringBuilder out = new StringBuilder(s);
    while (out.length() < length) {
      out.append('.');
    }
    return out.substring(0, length);
  }

  static Set<String> batchKeys(String prefix) {
    Set<String> keys = new TreeSet<>();
    for (int i = 0; i < BATCH; i++) {
      keys.add(prefix + ":" + i);
    }
    return keys;
  }

  /** {@code BATCH} entries under the given key prefix, all holding {@link #VALUE}. */
  static Map<String, String> batchEntries(String prefix) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String key : batchKeys(prefix)) {
      entries.put(key, VALUE);
    }
    return entries;
  }

  /** Where the Redis the benchmark measures on is. */
  record Topology(URI uri, boolean cluster) {

    /**
     * A Redis Cluster when {@code -Dstepper.bench.cluster} (or {@code STEPPER_BENCH_CLUSTER}) names
     * a node, as {@code redis://host:port} or {@code redis://h1:p1,h2:p2}; else one server: the
     * tests' Redis ({@code REDIS_URL}, else a {@code redis-server} started for this JVM).
     */
    static Topology current() {
      String cluster = System.getProperty("stepper.bench.cluster");
      if (cluster == null || cluster.isBlank()) {
        cluster = System.getenv("STEPPER_BENCH_CLUSTER");
      }
      if (cluster != null && !cluster.isBlank()) {
        return new Topology(URI.create(cluster.trim()), true);
      }
      return new Topology(RedisEndpoint.shared().uri(), false);
    }

    /** The URI without its query, e.g. {@code redis://127.0.0.1:7301}. */
    String base() {
      String s = uri.toString();
      int q = s.indexOf('?');
      return q < 0 ? s : s.substring(0, q);
    }

    /** Each node address the URI names, as {@code redis://host:port}. */
    List<String> nodes() {
      String base = base();
      int scheme = base.indexOf("://");
      String head = base.substring(0, scheme + 3);
      String rest = base.substring(scheme + 3);
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        rest = rest.substring(0, slash);
      }
      String userInfo = "";
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        userInfo = rest.substring(0, at + 1);
        rest = rest.substring(at + 1);
      }
      String prefix = head + userInfo;
      return Arrays.stream(rest.split(",")).map(hostPort -> prefix + hostPort).toList();
    }

    /** Safe to print: the nodes without credentials. */
    String describe() {
      String where = String.join(",", nodes().stream()
          .map(n -> n.replaceFirst("://[^@/]*@", "://")).toList());
      return (cluster ? "Redis Cluster via " : "one Redis server at ") + where;
    }
  }

  /**
   * Opens a client and fills the keys the reads use.
   *
   * @param client {@code stepper}, {@code lettuce} or {@code redisson}
   * @param topology where Redis is
   * @param name a name no other run uses: the key prefix or cache name
   */
  static Workload open(String client, Topology topology, String name) {
    Workload work = switch (client) {
      case "stepper" -> new StepperWorkload(topology, name);
      case "lettuce" -> new LettuceWorkload(topology, name);
      case "redisson" -> new RedissonWorkload(topology, name);
      default -> throw new IllegalArgumentException("unknown client " + client);
    };
    work.putAll(batchEntries("batch"));
    work.put(HOT, VALUE);
    return work;
  }

  abstract String get(String key);

  abstract void put(String key, String value);

  abstract Map<String, String> getAll(Set<String> keys);

  abstract void putAll(Map<String, String> entries);

  /** Deletes what the workload wrote and closes its connections. */
  @Override
  public abstract void close();

  /** A JCache cache of either provider. */
  private abstract static class JCacheWorkload extends Workload {
    final CachingProvider provider;
    final CacheManager manager;
    final Cache<String, String> cache;
    final String cacheName;

    JCacheWorkload(CachingProvider provider, CacheManager manager, String cacheName,
        MutableConfiguration<String, String> configuration) {
      this.provider = provider;
      this.manager = manager;
      this.cacheName = cacheName;
      configuration.setTypes(String.class, String.class);
      this.cache = manager.createCache(cacheName, configuration);
    }

    @Override
    String get(String key) {
      return cache.get(key);
    }

    @Override
    void put(String key, String value) {
      cache.put(key, value);
    }

    @Override
    Map<String, String> getAll(Set<String> keys) {
      return cache.getAll(keys);
    }

    @Override
    void putAll(Map<String, String> entries) {
      cache.putAll(entries);
    }

    @Override
    public void close() {
      manager.destroyCache(cacheName);
      manager.close();
    }
  }

  /** Stepper: {@code get} is one GET, {@code put} one run of write.lua (EVALSHA). */
  private static final class StepperWorkload extends JCacheWorkload {
    StepperWorkload(Topology topology, String name) {
      this(Caching.getCachingProvider(STEPPER_PROVIDER), topology, name);
    }

    private StepperWorkload(CachingProvider provider, Topology topology, String name) {
      super(provider,
          provider.getCacheManager(URI.create(topology.base() + "?prefix=" + name),
              Workload.class.getClassLoader()),
          "compare",
          new StepperConfiguration<String, String>().setValueCodec(Codecs.string()));
    }
  }

  /**
   * Redisson's JCache, configured by a YAML file written from a {@link Config}: string codec, and
   * on a cluster reads from masters (Redisson's default there is replicas), as the others do.
   * Redisson keeps a cache in one hash whose name has a {@code {name}} hash tag, so on a cluster
   * the whole cache lives on one shard.
   */
  private static final class RedissonWorkload extends JCacheWorkload {
    private final Path configFile;

    RedissonWorkload(Topology topology, String name) {
      this(Caching.getCachingProvider(REDISSON_PROVIDER), topology, name,
          writeConfig(topology, name));
    }

    private RedissonWorkload(CachingProvider provider, Topology topology, String name, Path file) {
      super(provider, provider.getCacheManager(file.toUri(), Workload.class.getClassLoader()), name,
          new MutableConfiguration<>());
      this.configFile = file;
    }

    private static Path writeConfig(Topology topology, String name) {
      Config config = new Config();
      config.setCodec(org.redisson.client.codec.StringCodec.INSTANCE);
      if (topology.cluster()) {
        config.useClusterServers()
            .addNodeAddress(topology.nodes().toArray(new String[0]))
            .setReadMode(ReadMode.MASTER);
      } else {
        config.useSingleServer().setAddress(topology.base());
      }
      try {
        Path file = Files.createTempFile("redisson-" + name, ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, config.toYAML());
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      super.close();
      provider.close(configFile.toUri(), Workload.class.getClassLoader());
    }
  }

  /**
   * The floor: Lettuce alone on one shared connection, as Stepper has. {@code get} is GET,
   * {@code put} SET, {@code getAll} MGET, {@code putAll} MSET; on a cluster Lettuce's cluster
   * client splits MGET and MSET by slot and sends the parts to their masters at once.
   */
  private static final class LettuceWorkload extends Workload {
    private final AutoCloseable connection;
    private final Runnable shutdown;
    private final RedisStringCommands<String, String> commands;
    private final RedisKeyCommands<String, String> keys;
    private final String prefix;

    LettuceWorkload(Topology topology, String name) {
      prefix = name + ":raw:";
      if (topology.cluster()) {
        RedisClusterClient client = RedisClusterClient.create(topology.base());
        StatefulRedisClusterConnection<String, String> c = client.connect(StringCodec.UTF8);
        connection = c;
        shutdown = client::shutdown;
        commands = c.sync();
        keys = c.sync();
      } else {
        RedisClient client = RedisClient.create(topology.base());
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        connection = c;
        shutdown = client::shutdown;
        commands = c.sync();
        keys = c.sync();
      }
    }

    @Override
    String get(String key) {
      return commands.get(prefix + key);
    }

    @Override
    void put(String key, String value) {
      commands.set(prefix + key, value);
    }

    @Override
    Map<String, String> getAll(Set<String> keys) {
      String[] raw = new String[keys.size()];
      int i = 0;
      for (String key : keys) {
        raw[i++] = prefix + key;
      }
      Map<String, String> result = new HashMap<>();
      for (KeyValue<String, String> kv : commands.mget(raw)) {
        if (kv.hasValue()) {
          result.put(kv.getKey().substring(prefix.length()), kv.getValue());
        }
      }
      return result;
    }

    @Override
    void putAll(Map<String, String> entries) {
      Map<String, String> raw = new HashMap<>();
      entries.forEach((k, v) -> raw.put(prefix + k, v));
      commands.mset(raw);
    }

    @Override
    public void close() {
      try {
        // every key written is one of these: the hot key, the batches, the writers' keys
        List<String> written = new ArrayList<>();
        written.add(prefix + HOT);
        for (String k : BATCH_KEYS) {
          written.add(prefix + k);
        }
        for (int t = 0; t < 64; t++) {
          written.add(prefix + "written:" + t);
          for (String k : batchKeys("wbatch:" + t)) {
            written.add(prefix + k);
          }
        }
        for (String k : written) {
          keys.del(k);
        }
        connection.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        shutdown.run();
      }
    }
  }
}

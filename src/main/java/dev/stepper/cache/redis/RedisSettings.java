package dev.stepper.cache.redis;

import static dev.stepper.cache.config.Redaction.redact;

import dev.stepper.cache.config.Durations;
import dev.stepper.cache.config.NearCache;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one cache manager reaches Redis, read from its URI, in one of three forms:
 * <ul>
 *   <li>{@code redis[s]://[user:password@]host:port[/db]}: one server, or one node of a Redis
 *       Cluster (the connector finds out which when it connects);
 *   <li>{@code redis[s]://[user:password@]host1:port1,host2:port2}: a Redis Cluster, by seed nodes;
 *   <li>{@code redis[s]-sentinel://[user:password@]host1:port1,host2:port2[/db]?sentinelMasterId=m}:
 *       the master that the Sentinels name {@code m}, followed through failovers.
 * </ul>
 * Each may end in {@code ?prefix=p&timeout=2s&waitForReplicas=1}, and
 * {@code &nearCacheEntries=10000&nearCacheTtl=1m}.
 *
 * <p>{@code prefix} (default {@value #DEFAULT_PREFIX}, or the system property
 * {@value #PREFIX_PROPERTY}) starts every key of the manager; {@code timeout} (default 2 s) bounds
 * connecting and every command; {@code waitForReplicas} (default 0) makes each write wait until that
 * many replicas have it; {@code nearCacheEntries} (with {@code nearCacheTtl}, default 1 min) gives
 * every cache of the manager that sets none a near cache of that size (default: the system
 * property {@value #NEAR_CACHE_PROPERTY}, else none). Other query parameters are Lettuce's own ({@code verifyPeer},
 * {@code clientName}, ...).
 */
public final class RedisSettings {

  /** The prefix of every key when the URI names none. */
  public static final String DEFAULT_PREFIX = "jcache";
  private static final Duration DEFAULT_NEAR_TTL = Duration.ofMinutes(1);

  /** System property giving {@code nearCacheEntries} for URIs that name none. */
  public static final String NEAR_CACHE_PROPERTY = "stepper.cache.near-cache-entries";

  /** System property giving the prefix for URIs that name none. */
  public static final String PREFIX_PROPERTY = "stepper.cache.prefix";

  /**
   * The URI parameter naming how many replicas must have each write before it returns: Redis
   * replicates asynchronously, so a write acknowledged by a master alone can be lost when a replica
   * without it takes over.
   */
  public static final String WAIT_FOR_REPLICAS = "waitForReplicas";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** What kind of deployment a URI names. */
  enum Topology {
    /** One server, or a node of a cluster: decided when connecting. */
    SERVER,
    /** A Redis Cluster, named by seed nodes. */
    CLUSTER,
    /** A master that Redis Sentinel watches. */
    SENTINEL
  }

  private static final String FORMS = "redis://[user:password@]host:port[/db],"
      + " redis://host1:port1,host2:port2 (a cluster) or"
      + " redis-sentinel://host1:port1,host2:port2?sentinelMasterId=name, rediss for TLS,"
      + " each with ?prefix=name&timeout=2s";

  private final Topology topology;
  private final List<RedisURI> nodes;
  private final String prefix;
  private final Duration timeout;
  private final int waitForReplicas;
  private final NearCache nearCache;
  private final String address;

  private RedisSettings(Topology topology, List<RedisURI> nodes, String prefix,
      Duration timeout, int waitForReplicas, NearCache nearCache) {
    this.nearCache = nearCache;
    this.topology = topology;
    this.nodes = List.copyOf(nodes);
    this.prefix = prefix;
    this.timeout = timeout;
    this.waitForReplicas = waitForReplicas;
    this.address = describe(topology, nodes);
  }

  private static String describe(Topology topology, List<RedisURI> nodes) {
    if (topology == Topology.SENTINEL) {
      RedisURI uri = nodes.get(0);
      return "master '" + uri.getSentinelMasterId() + "' of Sentinel "
          + String.join(",", uri.getSentinels().stream()
              .map(s -> s.getHost() + ":" + s.getPort()).toList());
    }
    return String.join(",", nodes.stream().map(n -> n.getHost() + ":" + n.getPort()).toList());
  }

  /**
   * Reads the settings from a cache manager's URI.
   *
   * @param uri a {@code redis://} or {@code rediss://} URI
   * @return the settings
   * @throws IllegalArgumentException if the URI is not of that form; the message never contains the
   *     password
   */
  public static RedisSettings parse(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Topology topology = switch (scheme) {
      case "redis", "rediss" -> uri.getHost() == null && hostList(uri).contains(",")
          ? Topology.CLUSTER : Topology.SERVER;
      case "redis-sentinel", "rediss-sentinel" -> Topology.SENTINEL;
      default -> throw new IllegalArgumentException("Cache manager URI " + redact(uri)
          + " is not a Redis URI: use " + FORMS + "; or name a configuration file:"
          + " classpath:stepper-cache.yaml, file:/path/to/it.yaml");
    };
    if (topology == Topology.SERVER && uri.getHost() == null) {
      throw new IllegalArgumentException("Cache manager URI " + redact(uri) + " names no host it"
          + " can read: write redis://host:port, with a numeric port and a host name without '_'");
    }
    String prefix = System.getProperty(PREFIX_PROPERTY, DEFAULT_PREFIX);
    Duration timeout = DEFAULT_TIMEOUT;
    int waitForReplicas = 0;
    String nearDefault = System.getProperty(NEAR_CACHE_PROPERTY);
    Integer nearEntries = nearDefault == null ? null : parseNearEntries(nearDefault, uri);
    Duration nearTtl = DEFAULT_NEAR_TTL;
    List<String> lettuceParams = new ArrayList<>();
    for (String param : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
      switch (name) {
        case "prefix" -> prefix = value;
        case "timeout" -> timeout = parseDuration(name, value, uri);
        case WAIT_FOR_REPLICAS -> waitForReplicas = parseReplicas(value, uri);
        case "nearCacheEntries" -> nearEntries = parseNearEntries(value, uri);
        case "nearCacheTtl" -> nearTtl = parseDuration(name, value, uri);
        // Lettuce 7 reads verifyPeer as a mode; accept the booleans Lettuce 6 users write.
        case "verifyPeer" -> lettuceParams.add("verifyPeer="
            + switch (value.toLowerCase(Locale.ROOT)) {
              case "false" -> "NONE";
              case "true" -> "FULL";
              default -> value;
            });
        default -> lettuceParams.add(param);
      }
    }
    KeyLayout.checkPrefix(prefix);
    List<RedisURI> nodes;
    try {
      URI lettuceUri = URI.create(withQuery(uri, lettuceParams));
      nodes = topology == Topology.CLUSTER ? clusterSeeds(lettuceUri)
          : List.of(RedisURI.create(lettuceUri));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cache manager URI " + redact(uri) + " is not a valid Redis"
          + " URI (" + redact(String.valueOf(e.getMessage())) + "): use " + FORMS, null);
    }
    if (topology == Topology.SENTINEL && nodes.get(0).getSentinelMasterId() == null) {
      throw new IllegalArgumentException("Cache manager URI " + redact(uri) + " names no master:"
          + " add ?sentinelMasterId=<the name the Sentinels monitor>");
    }
    for (RedisURI node : nodes) {
      node.setTimeout(timeout);
    }
    return new RedisSettings(topology, nodes, prefix, timeout, waitForReplicas,
        nearEntries == null ? null : new NearCache(nearEntries, nearTtl));
  }

  private static int parseNearEntries(String value, URI uri) {
    try {
      int entries = Integer.parseInt(value);
      if (entries > 0) {
        return entries;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("nearCacheEntries=" + value + " in " + redact(uri)
        + ": expected how many entries each cache keeps in this JVM, at least 1");
  }

  /** The authority's host list, {@code h1:p1,h2:p2}, without any user information. */
  private static String hostList(URI uri) {
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    return authority.substring(authority.lastIndexOf('@') + 1);
  }

  private static List<RedisURI> clusterSeeds(URI uri) {
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
      throw new IllegalArgumentException("a Redis Cluster has database 0 only, not " + path);
    }
    RedisURI all = RedisURI.create(uri);
    List<RedisURI> seeds = new ArrayList<>();
    for (RedisURI seed : RedisClusterURIUtil.toRedisURIs(uri)) {
      seed.setClientName(all.getClientName());
      seed.setVerifyPeer(all.getVerifyMode());
      seeds.add(seed);
    }
    return seeds;
  }

  /** @param name the parameter, for the message */
  private static Duration parseDuration(String name, String value, URI uri) {
    Duration duration = Durations.parse(value);
    if (duration == null || duration.isZero()) {
      throw new IllegalArgumentException(name + "=" + value + " in " + redact(uri) + " is not a"
          + " positive duration: write it as 500ms, 2s or PT2S", null);
    }
    return duration;
  }


  private static int parseReplicas(String value, URI uri) {
    try {
      int replicas = Integer.parseInt(value);
      if (replicas >= 0) {
        return replicas;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(WAIT_FOR_REPLICAS + "=" + value + " in " + redact(uri)
        + " is not a number of replicas: write 0 (the default: a write returns once the master"
        + " has it) or more", null);
  }

  private static String withQuery(URI uri, List<String> params) {
    String s = uri.toString();
    int q = s.indexOf('?');
    String base = q < 0 ? s : s.substring(0, q);
    return params.isEmpty() ? base : base + "?" + String.join("&", params);
  }

  Topology topology() {
    return topology;
  }

  /** @return the server's URI, the Sentinel URI, or a cluster's seed nodes */
  List<RedisURI> nodes() {
    return nodes;
  }

  /** @return the prefix of every key of this manager */
  public String prefix() {
    return prefix;
  }

  /** @return how many replicas must have each write before it returns; 0 for none */
  public int waitForReplicas() {
    return waitForReplicas;
  }

  /** @return the near cache of every cache that sets none, or {@code null} if none is given */
  public NearCache nearCache() {
    return nearCache;
  }

  /** @return the bound on connecting and on every command */
  public Duration timeout() {
    return timeout;
  }

  /**
   * @return {@code host:port}, a cluster's seeds {@code h1:p1,h2:p2}, or which master of which
   *     Sentinels; for messages
   */
  public String address() {
    return address;
  }
}

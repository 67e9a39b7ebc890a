package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.testing.Await;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisServerProcess;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Proves the provider's security promises against a real Redis: JDK deserialization instantiates
 * only allow-listed classes, even deep inside an allowed container; passwords from the manager
 * URI never show in exception messages, cause chains, logs or MXBean names; and Redis ACL users
 * and passwords are honoured, a wrong one failing without being echoed.
 */
@RedisTest
class SecurityTest {

  private static final String PASSWORD = "s3cr3t";

  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void cleanUp() {
    fixture.close();
  }

  // ------------------------------------------------------------------------- allow-list

  @Test
  void classOutsideTheAllowListIsRefusedOnReadNamingItAndHowToAllowIt(RedisEndpoint redis) {
    URI uri = redis.uriWithUniquePrefix("allow");
    Cache<String, Object> allowing = fixture.manager(uri).createCache("docs",
        objectValues(Codecs.jdk(Secret.class.getName())));
    // Same URI, other class loader: a second manager sharing the entries, as another app would.
    Cache<String, Object> plain = fixture.separateManager(uri).createCache("docs",
        objectValues(Codecs.jdk()));
    allowing.put("doc", new Secret("plans"));

    CacheException e = assertThrows(CacheException.class, () -> plain.get("doc"));

    assertTrue(e.getMessage().contains("class " + Secret.class.getName() + " is not on the"
        + " cache's deserialization allow-list"), e.getMessage());
    assertTrue(e.getMessage().contains("Codecs.jdk(\"" + Secret.class.getName() + "\")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("stepper.cache.serialization.allow"), e.getMessage());
    assertEquals(new Secret("plans"), allowing.get("doc"));
  }

  @Test
  void disallowedClassNestedInAnAllowedContainerIsRefusedByTheWriteAndByTheRead(
      RedisEndpoint redis) {
    URI uri = redis.uriWithUniquePrefix("nested");
    Cache<String, Object> plain = fixture.manager(uri).createCache("maps",
        objectValues(Codecs.jdk()));
    Map<String, Object> map = new HashMap<>();
    map.put("harmless", "text");
    map.put("smuggled", new Secret("payload"));

    CacheException refused = assertThrows(CacheException.class, () -> plain.put("map", map));
    assertTrue(refused.getMessage().contains("class " + Secret.class.getName() + " is not on the"
        + " cache's deserialization allow-list") && refused.getMessage()
        .contains("nothing was stored"), refused.getMessage());
    assertFalse(plain.containsKey("map"));

    // written by a manager that allows it, as another application might
    fixture.separateManager(uri).createCache("maps", objectValues(Codecs.jdk(
        Secret.class.getName()))).put("map", map);
    CacheException e = assertThrows(CacheException.class, () -> plain.get("map"));
    assertTrue(e.getMessage().contains("class " + Secret.class.getName() + " is not on the"
        + " cache's deserialization allow-list"), e.getMessage());
  }

  @Test
  void packagePatternAllowsTheNestedClass(RedisEndpoint redis) {
    URI uri = redis.uriWithUniquePrefix("package");
    Cache<String, Object> allowing = fixture.manager(uri).createCache("maps",
        objectValues(Codecs.jdk(Secret.class.getPackageName() + ".*")));
    Map<String, Object> map = new HashMap<>(Map.of("inner", new Secret("welcome")));
    allowing.put("map", map);

    assertEquals(map, allowing.get("map"));
  }

  // --------------------------------------------------------------------- password hiding

  @ParameterizedTest
  @ValueSource(strings = {"redis://someuser:" + PASSWORD + "@127.0.0.1:%d",
      "redis://" + PASSWORD + "@127.0.0.1:%d"})
  void passwordNeverShowsInConnectionFailuresOrLogs(String template) throws Throwable {
    int port = PrivateRedis.unusedPort();
    URI uri = URI.create(String.format(template, port) + "?timeout=500ms");
    List<Throwable> failures = new ArrayList<>();

    String log = capturingStderr(() -> {
      CacheManager manager = fixture.managerOnPrivateServer(uri);
      Cache<String, String> cache = manager.createCache("c", StringCaches.config());
      failures.add(assertThrows(CacheException.class, () -> cache.get("k")));
      failures.add(assertThrows(CacheException.class, () -> cache.put("k", "v")));
      manager.close();
      failures.add(assertThrows(IllegalStateException.class, () -> manager.getCache("c")));
    });

    for (Throwable failure : failures) {
      String text = fullText(failure);
      assertFalse(text.contains(PASSWORD), text);
    }
    assertTrue(failures.get(0).getMessage().contains("127.0.0.1:" + port),
        failures.get(0).getMessage());
    assertFalse(log.contains(PASSWORD), log);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://someuser:" + PASSWORD + "@127.0.0.1:6379",
      "redis://someuser:" + PASSWORD + "@127.0.0.1:6379?timeout=abc",
      "redis://someuser:" + PASSWORD + "@127.0.0.1:6379/notADatabase",
      "redis://someuser:" + PASSWORD + "@127.0.0.1:6379?prefix=a:b",
      // java.net.URI cannot parse these authorities as host:port, so it reports no user info:
      "redis://someuser:" + PASSWORD + "@:6379",
      "redis://someuser:" + PASSWORD + "@127.0.0.1:notAPort",
      "redis://someuser:" + PASSWORD + "@redis_cache:6379"})
  void invalidUriIsRefusedWithoutEchoingItsPassword(String uri) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fixture.manager(URI.create(uri)));

    assertFalse(fullText(e).contains(PASSWORD), fullText(e));
  }

  @Test
  void mxBeanNamesOfAPasswordProtectedManagerHideThePassword() throws MalformedObjectNameException {
    PrivateRedis redis = privateServer();
    RedisServerProcess server = redis.server();
    redis.raw().commands().configSet("requirepass", PASSWORD);
    URI uri = URI.create("redis://default:" + PASSWORD + "@" + server.host() + ":" + server.port()
        + "?prefix=" + RedisEndpoint.uniquePrefix("mbeans"));
    String cacheName = "audited-" + RedisEndpoint.uniquePrefix("cache");
    Cache<String, String> cache = fixture.managerOnPrivateServer(uri).createCache(cacheName,
        StringCaches.config().setStatisticsEnabled(true).setManagementEnabled(true));
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));

    Set<ObjectName> names = ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("javax.cache:*"), null);
    List<String> ours = names.stream().map(ObjectName::toString)
        .filter(name -> name.contains(cacheName)).toList();

    assertEquals(2, ours.size(), "statistics and configuration MXBeans expected: " + names);
    for (String name : ours) {
      assertFalse(name.contains(PASSWORD), name);
      assertTrue(name.contains("127.0.0.1"), name);
    }
  }

  // -------------------------------------------------------------------------- ACL users

  @Test
  void aclUserWithItsPasswordCanUseTheCache() {
    PrivateRedis redis = privateServer();
    RedisServerProcess server = redis.server();
    RedisClusterCommands<byte[], byte[]> admin = aclServer(redis);
    URI uri = URI.create("redis://alice:wonderland@" + server.host() + ":" + server.port()
        + "?prefix=" + RedisEndpoint.uniquePrefix("acl"));
    Cache<String, String> cache = fixture.managerOnPrivateServer(uri)
        .createCache("c", StringCaches.config());

    cache.put("k", "v");

    assertEquals("v", cache.get("k"));
    // The default user needs a password here, so working at all means alice logged in; still:
    assertTrue(admin.clientList().contains("user=alice"), admin.clientList());
  }

  @Test
  void aclUserWithAWrongPasswordFailsWithoutEchoingIt() throws Throwable {
    PrivateRedis redis = privateServer();
    RedisServerProcess server = redis.server();
    aclServer(redis);
    String wrong = "not-wonderland";
    URI uri = URI.create("redis://alice:" + wrong + "@" + server.host() + ":" + server.port()
        + "?prefix=" + RedisEndpoint.uniquePrefix("acl"));
    List<Throwable> failures = new ArrayList<>();

    String log = capturingStderr(() -> {
      Cache<String, String> cache = fixture.managerOnPrivateServer(uri)
          .createCache("c", StringCaches.config());
      failures.add(assertThrows(CacheException.class, () -> cache.put("k", "v")));
    });

    String text = fullText(failures.get(0));
    assertFalse(text.contains(wrong), text);
    assertTrue(failures.get(0).getMessage().contains(server.host() + ":" + server.port()), text);
    assertFalse(log.contains(wrong), log);
  }

  /**
   * An ACL user without {@code CLIENT TRACKING} (a user limited to what a plain cache needs) keeps
   * a working cache with a near cache: reads and writes are right, served from Redis alone, and
   * the log says why once.
   */
  @Test
  void aclUserWithoutClientTrackingGetsANearCacheThatServesFromRedisAndSaysWhy() throws Throwable {
    PrivateRedis redis = privateServer();
    RedisServerProcess server = redis.server();
    RedisClusterCommands<byte[], byte[]> admin = redis.raw().commands();
    admin.aclSetuser("bob", AclSetuserArgs.Builder.on().addPassword("builder").allKeys()
        .allChannels().allCommands().removeCommand(CommandType.CLIENT, CommandKeyword.TRACKING));
    URI uri = URI.create("redis://bob:builder@" + server.host() + ":" + server.port()
        + "?prefix=" + RedisEndpoint.uniquePrefix("acl-near"));
    var config = NearCaches.config(new NearCache(10, Duration.ofMinutes(1)));

    String refusal = "serve from Redis alone until CLIENT TRACKING";
    PrintStream original = System.err;
    var captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Cache<String, String> cache = fixture.managerOnPrivateServer(uri).createCache("near", config);
      cache.put("k", "v1");
      assertEquals("v1", cache.get("k"));
      Await.until(Duration.ofSeconds(5), "the refusal to be logged",
          () -> captured.toString(StandardCharsets.UTF_8).contains(refusal));
      cache.put("k", "v2");
      assertEquals("v2", cache.get("k"));
      assertFalse(NearCaches.bean("near").isServing(), "no copy is served without tracking");
    } finally {
      System.setErr(original);
      original.print(captured.toString(StandardCharsets.UTF_8));
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, log.split(refusal, -1).length - 1, "said once: " + log);
  }

  // ---------------------------------------------------------------------------- helpers

  /**
   * A server where only alice (password wonderland) gets in without the admin password: the
   * default user is password-protected so that a manager cannot succeed by ignoring the URI's user.
   */
  private static RedisClusterCommands<byte[], byte[]> aclServer(PrivateRedis redis) {
    RedisClusterCommands<byte[], byte[]> admin = redis.raw().commands();
    admin.aclSetuser("alice", AclSetuserArgs.Builder.on().addPassword("wonderland")
        .allKeys().allChannels().allCommands());
    admin.configSet("requirepass", "admin-" + RedisEndpoint.uniquePrefix("pw"));
    return admin;
  }

  private PrivateRedis privateServer() {
    return fixture.own(PrivateRedis.start(
        "redis-server is not on PATH: this test needs a server whose users it may change"));
  }

  private static StepperConfiguration<String, Object> objectValues(
      dev.stepper.cache.codec.CodecFactory valueCodec) {
    var config = new StepperConfiguration<String, Object>().setValueCodec(valueCodec);
    config.setTypes(String.class, Object.class);
    return config;
  }

  /** What a log or a caller sees of a failure: each throwable of its cause chain and suppressed ones. */
  private static String fullText(Throwable t) {
    var out = new StringBuilder();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> pending = new ArrayDeque<>(List.of(t));
    while (!pending.isEmpty()) {
      Throwable current = pending.pop();
      if (seen.add(current)) {
        out.append(current).append('\n');
        if (current.getCause() != null) {
          pending.push(current.getCause());
        }
        pending.addAll(List.of(current.getSuppressed()));
      }
    }
    return out.toString();
  }

  /**
   * Runs the action with System.err captured (slf4j-simple looks System.err up on every write) and
   * returns what was written; it is also passed on, so nothing is hidden from the test report.
   */
  private static String capturingStderr(Executable action) throws Throwable {
    PrintStream original = System.err;
    var captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // Proves the capture works, so that "no password in the log" is not vacuously true.
      LoggerFactory.getLogger("dev.stepper.cache.SecurityTest").warn("stderr capture active");
      action.execute();
    } finally {
      System.setErr(original);
      original.print(captured.toString(StandardCharsets.UTF_8));
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("stderr capture active"), "slf4j output was not captured: " + log);
    return log;
  }

  /** Serializable, but on no allow-list unless a test puts it there. */
  record Secret(String text) implements Serializable {
  }
}

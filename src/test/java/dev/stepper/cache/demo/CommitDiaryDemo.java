package dev.stepper.cache.demo;

import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The README's first command, {@code mvn -q test-compile exec:java}: the commit-diary service on
 * a real Redis ({@code REDIS_URL} when set, else one started the way the tests start it), with a
 * walk-through to try with curl. Ctrl-C stops it. With {@code -Dstepper.demo.walkthrough=true} it
 * walks the tour itself, prints it, and exits (status 1 if a step got an unexpected answer).
 * Other settings: {@link DemoSettings}.
 */
public final class CommitDiaryDemo {

  private CommitDiaryDemo() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   * @throws Exception if it cannot start; the message says why
   */
  public static void main(String[] args) throws Exception {
    GitCommits git = DemoSettings.repository();
    String sha = git.head();
    RedisEndpoint redis = RedisEndpoint.shared();
    // The configuration file reads the Redis URI from this property.
    System.setProperty(DemoSettings.REDIS, redis.uri().toString());

    CacheManager manager = Caching.getCachingProvider().getCacheManager(
        URI.create(DemoSettings.config()), CommitDiaryDemo.class.getClassLoader());
    DiaryServer server = DiaryServer.start(manager, DemoSettings.port());
    StaleWhileRevalidate policy = server.reports().policy();
    Walkthrough tour = new Walkthrough(server.address(), sha, policy.freshWindow(),
        DemoSettings.prefix() + ":report:" + Walkthrough.USER + ":" + sha, redisCli(redis));

    tour.startFromAMiss(server.reports());

    System.out.println("Stepper Cache: the commit-diary demo");
    System.out.println("  Redis:   " + redis.describe() + (redis.source()
        == RedisEndpoint.Source.REDIS_URL ? "" : " (started for the demo; set REDIS_URL to use"
        + " yours)"));
    System.out.println("  Cache:   'report' from " + DemoSettings.config() + ": fresh "
        + policy.freshWindow().toSeconds() + " s, then stale (served, and refreshed) for "
        + policy.staleWindow().toMinutes() + " min");
    System.out.println("  Commits: " + git.repository() + " (HEAD is " + sha + ")");
    System.out.println("  Service: " + server.address() + "/diary/{user}/{sha}"
        + (server.portWasTaken() ? "  (port " + DemoSettings.port() + " was taken)" : ""));
    System.out.println();

    if (DemoSettings.walkthrough()) {
      boolean passed;
      try (manager; server) {
        passed = tour.run(System.out, key -> stored(server, key));
      }
      if (!passed) {
        System.exit(1);
      }
      return;
    }
    tour.printGuide(System.out);
    System.out.println("Ctrl-C stops the service.");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      manager.close();
    }, "diary-demo-shutdown"));
    // Serve until Ctrl-C: the shutdown hook above (and the started Redis' own) then clean up.
    Thread.currentThread().join();
  }

  /** Reads a key with the cache manager's own Lettuce client: what redis-cli would print. */
  private static String stored(DiaryServer server, String key) {
    try (StatefulRedisConnection<String, String> connection =
        server.reports().getRedisClient().connect()) {
      return connection.sync().get(key);
    }
  }

  /** The redis-cli command for the server, with no password on the command line. */
  private static String redisCli(RedisEndpoint redis) {
    URI uri = redis.uri();
    boolean local = "127.0.0.1".equals(redis.host()) || "localhost".equals(redis.host());
    return "redis-cli" + (local ? "" : " -h " + redis.host()) + " -p " + redis.port()
        + ("rediss".equals(uri.getScheme()) ? " --tls" : "")
        + (uri.getRawUserInfo() != null ? " --askpass" : "");
  }
}

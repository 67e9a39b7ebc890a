package dev.stepper.examples.diary;

import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * The README's first command, {@code mvn -q -f examples/commit-diary compile exec:java}: the commit-diary service on
 * a real Redis ({@code REDIS_URL} when set, else one started the way the tests start it), with a
 * walk-through to try with curl. Ctrl-C stops it. With {@code -Dstepper.demo.walkthrough=true} it
 * walks the tour itself, prints it, and exits (status 1 if a step got an unexpected answer).
 * With {@code -Dstepper.demo.role=worker} it serves nothing and runs the report jobs that JVMs
 * started with {@code -Dstepper.demo.role=web} (which run none) queue in the same Redis. Other
 * settings: {@link DemoSettings}.
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
    DemoSettings.Role role = DemoSettings.role();
    RedisEndpoint redis = RedisEndpoint.shared();
    // The configuration file reads the Redis URI and the job threads from these properties.
    System.setProperty(DemoSettings.REDIS, redis.uri().toString());
    if (role == DemoSettings.Role.WEB && System.getProperty(DemoSettings.JOB_THREADS) == null) {
      System.setProperty(DemoSettings.JOB_THREADS, "0");
    }

    CacheManager manager = Caching.getCachingProvider().getCacheManager(
        URI.create(DemoSettings.config()), CommitDiaryDemo.class.getClassLoader());
    if (role == DemoSettings.Role.WORKER) {
      work(manager, redis);
      return;
    }
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
    if (role == DemoSettings.Role.WEB) {
      System.out.println("  Jobs:    none here (web only): queued in Redis for worker JVMs; start"
          + " one with REDIS_URL=" + redis.redactedUri() + " and -D" + DemoSettings.ROLE
          + "=worker");
    }
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

  /** A worker JVM: the cache's job threads take the queued jobs until Ctrl-C. */
  private static void work(CacheManager manager, RedisEndpoint redis) throws InterruptedException {
    System.out.println("Stepper Cache: a commit-diary worker");
    System.out.println("  Redis:   " + redis.describe());
    System.out.println("  Jobs:    runs the 'report' jobs that web JVMs queue there (start one"
        + " with REDIS_URL=" + redis.redactedUri() + " and -D" + DemoSettings.ROLE + "=web)");
    System.out.println("Ctrl-C stops the worker; the jobs it runs go back to the queue.");
    Runtime.getRuntime().addShutdownHook(new Thread(manager::close, "diary-worker-shutdown"));
    Thread.currentThread().join();
  }

  /** Reads a key with the cache manager's own Lettuce client: what redis-cli would print. */
  private static String stored(DiaryServer server, String key) {
    try (StatefulRedisConnection<String, String> connection =
        server.reports().getRedisClient(RedisClient.class).connect()) {
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

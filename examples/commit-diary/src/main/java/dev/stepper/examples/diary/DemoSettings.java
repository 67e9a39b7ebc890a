package dev.stepper.examples.diary;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's knobs, all system properties (with {@code mvn exec:java} pass them as
 * {@code -Dname=value}: the demo runs inside Maven's JVM).
 */
public final class DemoSettings {

  /** The cache configuration file the demo opens its cache manager with. */
  public static final String CONFIG = "stepper.demo.config";
  /** The Redis URI the configuration file reads; the demo sets it unless it is set. */
  public static final String REDIS = "stepper.demo.redis";
  /** The key prefix the configuration file reads; {@value #DEFAULT_PREFIX} unless set. */
  public static final String PREFIX = "stepper.demo.prefix";
  /** The fresh window the configuration file reads ({@code 30s} unless set). */
  public static final String FRESH = "stepper.demo.fresh";
  /** The git repository whose commits the diaries describe. */
  public static final String REPOSITORY = "stepper.demo.repo";
  /** How long each provider takes, in milliseconds. */
  public static final String LATENCY_MILLIS = "stepper.demo.latency-ms";
  /** The HTTP port to try first. */
  public static final String PORT = "stepper.demo.port";
  /** {@code true}: run the walk-through against the service, print it, and exit. */
  public static final String WALKTHROUGH = "stepper.demo.walkthrough";
  /** {@code web}, {@code worker}, or (unless set) both in one JVM: see {@link Role}. */
  public static final String ROLE = "stepper.demo.role";
  /** The job threads the configuration file reads; the demo sets it to 0 for a web JVM. */
  public static final String JOB_THREADS = "stepper.demo.job-threads";

  /** What a demo JVM does. */
  public enum Role {
    /** Serves HTTP and runs the report jobs: the whole demo in one JVM. */
    ALL,
    /** Serves HTTP and queues the report jobs in Redis, running none (job threads 0). */
    WEB,
    /** Serves nothing; runs the report jobs that web JVMs queue. */
    WORKER
  }

  /** Also the default in {@code stepper-cache.yaml}: keep the two alike. */
  static final String DEFAULT_PREFIX = "stepper";

  private DemoSettings() {}

  /** @return the configuration file's URI */
  public static String config() {
    return System.getProperty(CONFIG, "classpath:stepper-cache.yaml");
  }

  /** @return the key prefix the configuration file uses */
  public static String prefix() {
    return System.getProperty(PREFIX, DEFAULT_PREFIX);
  }

  /** @return the repository: {@value #REPOSITORY}, else the working directory */
  public static GitCommits repository() {
    return new GitCommits(Path.of(System.getProperty(REPOSITORY, System.getProperty("user.dir"))),
        Duration.ofSeconds(5));
  }

  /**
   * How long each provider takes. Generation is slowed on purpose so that the placeholder, its
   * progress and its {@code Retry-After} can be seen with curl; a real model takes as long or
   * longer.
   *
   * @return {@value #LATENCY_MILLIS}, else one second
   */
  public static Duration latency() {
    return Duration.ofMillis(Long.getLong(LATENCY_MILLIS, 1000));
  }

  /** @return the port to try first: {@value #PORT}, else 8080 */
  public static int port() {
    return Integer.getInteger(PORT, 8080);
  }

  /**
   * @return {@value #ROLE}, else {@link Role#ALL}
   * @throws IllegalArgumentException if it names no role
   */
  public static Role role() {
    String role = System.getProperty(ROLE, "all");
    try {
      return Role.valueOf(role.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ROLE + " is '" + role + "'; expected web, worker or all",
          e);
    }
  }

  /** @return whether to run the walk-through and exit */
  public static boolean walkthrough() {
    return Boolean.getBoolean(WALKTHROUGH);
  }
}

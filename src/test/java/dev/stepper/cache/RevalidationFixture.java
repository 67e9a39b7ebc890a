package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.swr.BackgroundLoader;
import dev.stepper.cache.swr.Backoff;
import dev.stepper.cache.swr.EntryState;
import dev.stepper.cache.swr.Job;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.StringCaches;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the stale-while-revalidate tests share: a {@link Generator} (a {@link BackgroundLoader}
 * whose String values spell out their state), a {@link CountingLoader} (a plain loader), a
 * {@link Gate} to hold a job while a test looks, configurations, the Redis keys of an entry and its
 * job record, and the counters of the MXBeans read over the platform MBean server.
 */
final class RevalidationFixture {

  /** The cache every test uses, in a key prefix of its own. */
  static final String CACHE = "swr";
  /** How long a test waits for something done in the background. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private static final String PENDING = "~pending|";
  private static final String FAILED = "~failed|";

  private RevalidationFixture() {}

  /** Fresh 5 s and stale 10 s: long enough that only the test makes an entry stale (PEXPIRE). */
  static StaleWhileRevalidate longWindows() {
    return StaleWhileRevalidate.fresh(Duration.ofSeconds(5)).stale(Duration.ofSeconds(10))
        .lease(Duration.ofSeconds(5)).backoff(backoff(Duration.ofSeconds(1)));
  }

  /** @return a backoff of {@code initial}, doubling, at most 10 times that, without jitter */
  static Backoff backoff(Duration initial) {
    return Backoff.exponential(initial, 2, initial.multipliedBy(10)).withJitter(0);
  }

  /** @return a read-through configuration of String keys and values with the policy and loader */
  static MutableConfiguration<String, String> config(StaleWhileRevalidate policy,
      CacheLoader<String, String> loader) {
    Factory<CacheLoader<String, String>> factory = () -> loader;
    return StringCaches.config()
        .setExpiryPolicyFactory(policy.factory())
        .setCacheLoaderFactory(factory)
        .setReadThrough(true);
  }

  // ---- values of the Generator: "~pending|<job>|<lease until ms>|<progress>",
  // "~failed|<attempts>|<retry at ms>|<message>", anything else is ready

  static String pending(String jobId, Instant leaseUntil, int progress) {
    return PENDING + jobId + "|" + leaseUntil.toEpochMilli() + "|" + progress;
  }

  static String failed(int attempts, Instant retryAt, String message) {
    return FAILED + attempts + "|" + retryAt.toEpochMilli() + "|" + message;
  }

  static EntryState stateOf(String value) {
    if (value.startsWith(PENDING)) {
      return EntryState.pending(Instant.ofEpochMilli(Long.parseLong(field(value, 2))));
    }
    if (value.startsWith(FAILED)) {
      return EntryState.failed(Integer.parseInt(field(value, 1)),
          Instant.ofEpochMilli(Long.parseLong(field(value, 2))));
    }
    return EntryState.ready();
  }

  static boolean isPending(String value) {
    return value != null && value.startsWith(PENDING);
  }

  static boolean isFailed(String value) {
    return value != null && value.startsWith(FAILED);
  }

  /** @return the job id of a placeholder */
  static String jobOf(String placeholder) {
    assertTrue(isPending(placeholder), "not a placeholder: " + placeholder);
    return field(placeholder, 1);
  }

  /** @return the progress shown by a placeholder */
  static int progressOf(String placeholder) {
    assertTrue(isPending(placeholder), "not a placeholder: " + placeholder);
    return Integer.parseInt(field(placeholder, 3));
  }

  /** @return the failed attempts of a failure record */
  static int attemptsOf(String failure) {
    assertTrue(isFailed(failure), "not a failure record: " + failure);
    return Integer.parseInt(field(failure, 1));
  }

  /** @return the retry time of a failure record */
  static Instant retryAtOf(String failure) {
    assertTrue(isFailed(failure), "not a failure record: " + failure);
    return Instant.ofEpochMilli(Long.parseLong(field(failure, 2)));
  }

  private static String field(String value, int index) {
    return value.split("\\|", 4)[index];
  }

  /** A latch a job waits on (at most {@link #WAIT}, and it gives way to interrupts). */
  static final class Gate {
    private final CountDownLatch open = new CountDownLatch(1);

    void pass() throws InterruptedException {
      if (!open.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    }

    void open() {
      open.countDown();
    }
  }

  /**
   * A background loader that records every generation and runs what the test gives it; by default
   * it makes {@code <key>@<call number>}. Thread-safe; one instance may serve several managers.
   */
  static final class Generator implements BackgroundLoader<String, String> {

    /** One call of {@link #generate}. */
    record Call(String key, String jobId, int attempt, boolean refresh) {}

    /** What a generation does; {@code call} counts all calls of the generator from 1. */
    interface Body {
      String make(String key, Job<String> job, int call) throws Exception;
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Body body = (key, job, call) -> key + "@" + call;

    /** @return this generator, doing that from now on */
    Generator answering(Body next) {
      this.body = next;
      return this;
    }

    @Override
    public String placeholder(String key, Job<String> job) {
      return pending(job.id(), job.leaseUntil(), 0);
    }

    @Override
    public String generate(String key, Job<String> job) throws Exception {
      int call;
      synchronized (this) {
        calls.add(new Call(key, job.id(), job.attempt(), job.isRefresh()));
        call = calls.size();
      }
      try {
        return body.make(key, job, call);
      } finally {
        finished.incrementAndGet();
      }
    }

    @Override
    public String failed(String key, Job<String> job, Exception error, Instant retryAt) {
      return RevalidationFixture.failed(job.attempt(), retryAt, String.valueOf(error.getMessage()));
    }

    @Override
    public EntryState stateOf(String value) {
      return RevalidationFixture.stateOf(value);
    }

    List<Call> calls() {
      return List.copyOf(calls);
    }

    List<Call> callsFor(String key) {
      return calls.stream().filter(call -> call.key().equals(key)).toList();
    }

    /** @return how many generations returned or threw */
    int finished() {
      return finished.get();
    }
  }

  /** A plain loader that counts its calls and runs what the test gives it. Thread-safe. */
  static final class CountingLoader implements CacheLoader<String, String> {

    /** What a load does; {@code call} counts all loads from 1. */
    interface Body {
      String make(String key, int call) throws Exception;
    }

    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Body body = (key, call) -> key + "#" + call;

    CountingLoader answering(Body next) {
      this.body = next;
      return this;
    }

    @Override
    public String load(String key) {
      int call;
      synchronized (this) {
        keys.add(key);
        call = keys.size();
      }
      try {
        return body.make(key, call);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CacheLoaderException(e);
      } finally {
        finished.incrementAndGet();
      }
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> values = new LinkedHashMap<>();
      keys.forEach(key -> values.put(key, load(key)));
      return values;
    }

    int calls() {
      return keys.size();
    }

    int callsFor(String key) {
      return (int) keys.stream().filter(key::equals).count();
    }

    int finished() {
      return finished.get();
    }
  }

  // ---- Redis keys

  /** @return the Redis key of an entry of {@link #CACHE} */
  static String entryKey(String prefix, String key) {
    return prefix + ":" + CACHE + ":" + key;
  }

  /** @return the Redis key of the job record of an entry of {@link #CACHE} */
  static String leaseKey(String prefix, String key) {
    return prefix + ":~" + CACHE + ":" + key;
  }

  /** @return the String stored at an entry's Redis key (JDK serialization), or {@code null} */
  static String text(RawRedis raw, String redisKey) {
    byte[] bytes = raw.get(redisKey);
    if (bytes == null) {
      return null;
    }
    try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (String) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new AssertionError("not a serialized String at " + redisKey, e);
    }
  }

  /** @return the job record at a Redis key, as text ({@code L|...} or {@code F|...}), or null */
  static String record(RawRedis raw, String redisKey) {
    byte[] bytes = raw.get(redisKey);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** @return the key's remaining time to live in ms (-2 when absent, -1 when eternal) */
  static long pttl(RawRedis raw, String redisKey) {
    return raw.commands().pttl(RawRedis.utf8(redisKey));
  }

  /** Shortens an entry's life to {@code millis}, as if it had been written long ago. */
  static void age(RawRedis raw, String redisKey, long millis) {
    assertTrue(raw.commands().pexpire(RawRedis.utf8(redisKey), millis),
        redisKey + " is not in Redis");
  }

  // ---- MXBeans

  /** @return a counter of the Revalidation MXBean of {@link #CACHE} under the manager's URI */
  static long revalidation(URI managerUri, String attribute) {
    return attribute(MBeanTypes.REVALIDATION, managerUri, attribute);
  }

  /** @return a JCache statistic of {@link #CACHE} under the manager's URI */
  static long statistic(URI managerUri, String attribute) {
    return attribute(MBeanTypes.STATISTICS, managerUri, attribute);
  }

  private enum MBeanTypes {
    REVALIDATION("dev.stepper.cache:type=Revalidation"),
    STATISTICS("javax.cache:type=CacheStatistics");

    final String domainAndType;

    MBeanTypes(String domainAndType) {
      this.domainAndType = domainAndType;
    }
  }

  private static long attribute(MBeanTypes type, URI managerUri, String attribute) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    // The provider replaces , : = and newlines by '.' and quotes names holding '?' or '*'.
    String manager = managerUri.toString().replaceAll("[,:=\n]", ".");
    try {
      List<ObjectName> ours = new ArrayList<>();
      for (ObjectName name : server.queryNames(
          new ObjectName(type.domainAndType + ",Cache=" + CACHE + ",*"), null)) {
        String property = name.getKeyProperty("CacheManager");
        String unquoted = property.startsWith("\"") ? ObjectName.unquote(property) : property;
        if (unquoted.equals(manager)) {
          ours.add(name);
        }
      }
      assertEquals(1, ours.size(), "MXBeans " + type + " of " + manager + ": " + ours);
      return ((Number) server.getAttribute(ours.get(0), attribute)).longValue();
    } catch (JMException e) {
      throw new AssertionError("cannot read " + attribute + " of " + type, e);
    }
  }
}

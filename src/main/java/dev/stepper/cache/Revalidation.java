package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.management.MBeanRegistration;
import dev.stepper.cache.management.RevalidationStatistics;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.JobQueue;
import dev.stepper.cache.redis.JobRecords;
import dev.stepper.cache.redis.PubSub;
import dev.stepper.cache.redis.TimedValue;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import dev.stepper.cache.swr.BackgroundLoader;
import dev.stepper.cache.swr.EntryState;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoaderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code get} for a cache whose expiry policy is {@link StaleWhileRevalidate}: fresh entries are
 * served, stale ones are served and reloaded in the background, and misses start one generation
 * among all JVMs.
 *
 * <p>Freshness comes from the entry's remaining time-to-live, read in the same script as the
 * value: an entry lives {@code fresh + stale}, so it is stale once less than {@code stale} is
 * left. Single flight across JVMs rests on Redis: a {@link BackgroundLoader}'s placeholder is
 * stored by compare-and-set on the entry, and a reload or a plain loader's load runs under the
 * entry's lease in {@link JobRecords}, which also keeps failures until their retry time.
 * Within a JVM, a stale entry is handed to the job executor once, not once per read, so that the
 * read path stays one round trip and one map lookup.
 *
 * <p>A miss's generation is queued in Redis ({@link JobQueue}) in the same round trip that stores
 * its placeholder, and run by whichever JVM's {@link JobWorkers} take it first; a JVM without job
 * threads only serves and enqueues, its stale entries' refreshes included. A JVM with job threads
 * refreshes the stale entries it reads itself, under the entry's lease.
 */
final class Revalidation<K, V> implements ReadPath<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(Revalidation.class);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int MAX_BACKED_OFF = 10_000;
  /** A queued job whose workers died this often is recorded as failed instead of run again. */
  private static final int MAX_DELIVERIES = 3;

  private final String name;
  final EntryStore store;
  final EntryCodec<K, V> codec;
  final WriteProtocol protocol;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  final CacheSteps<K, V> steps;
  final StaleWhileRevalidate policy;
  /** The read-through loader; {@link CacheFactory} refuses this policy without one. */
  private final Loader<K, V> loader;
  /** The loader as a background loader, or {@code null} if it is a plain one. */
  final BackgroundLoader<K, V> generator;
  private final JobRecords records;
  final JobQueue queue;
  /** This JVM's job threads, or {@code null} if the cache has none here (a web-only JVM). */
  private final JobExecutor jobs;
  /** This JVM's workers of the queue, or {@code null} without job threads. */
  private final JobWorkers workers;
  private final Supplier<PubSub> pubSub;
  final BudgetedCalls calls;
  final RevalidationStatistics counters = new RevalidationStatistics();
  /**
   * The stale entries this JVM has handed to the job executor, each until its lease ends: a
   * refresh that hangs past its lease no longer holds the key back.
   */
  private final Map<ByteBuffer, Instant> refreshing = new ConcurrentHashMap<>();
  /**
   * Retry times of failed refreshes this JVM has learnt from the job records, so that stale reads
   * during a backoff do not each send the executor to ask Redis again. Bounded: dropped whole
   * when full, which only costs those questions.
   */
  private final Map<ByteBuffer, Instant> backedOff = new ConcurrentHashMap<>();
  /** Keeps the leases of this JVM's running jobs while they run. */
  final Heartbeat heartbeat;
  private final MBeanRegistration countersBean;
  private volatile boolean closing;

  /**
   * @param pubSub the manager's pub/sub connection, on which queued jobs wake the workers
   * @param managerName the manager's URI, its password hidden, for the budgets' MXBeans
   */
  Revalidation(Collaborators<K, V> parts, StaleWhileRevalidate policy, ClassLoader classLoader,
      Supplier<PubSub> pubSub, String managerName) {
    this.name = parts.name();
    this.store = parts.store();
    this.codec = parts.codec();
    this.protocol = parts.protocol();
    this.statistics = parts.statistics();
    this.events = parts.events();
    this.steps = parts.steps();
    this.policy = policy;
    this.loader = parts.readThrough();
    this.generator = loader.target() instanceof BackgroundLoader<K, V> b ? b : null;
    this.records = store.jobRecords();
    this.queue = store.jobQueue();
    this.pubSub = pubSub;
    this.calls = new BudgetedCalls(name, managerName, store.callBudgets(), queue);
    this.heartbeat = new Heartbeat(name, policy.lease());
    this.countersBean = new MBeanRegistration(counters, MBeanRegistration.REVALIDATION,
        managerName, name);
    if (policy.jobThreads() > 0) {
      this.jobs = new JobExecutor(name, policy.jobThreads(), policy.jobQueue(), classLoader);
      this.workers = new JobWorkers(name, queue, jobs, policy.jobThreads(), this::runQueued,
          policy.lease());
    } else {
      this.jobs = null;
      this.workers = null;
    }
  }

  /** Registers the MXBean and starts this JVM's workers, if the cache has job threads here. */
  @Override
  public void open() {
    countersBean.register();
    if (workers != null) {
      workers.start(pubSub.get(), store.layout().jobChannel());
    }
  }

  /** @return the queue consumer name of this JVM's workers */
  String consumer() {
    return workers.consumer();
  }

  @Override
  public V get(K key) {
    long start = System.nanoTime();
    byte[] encodedKey = codec.key(key);
    TimedValue found = store.getWithTtl(encodedKey);
    V value;
    if (found == null) {
      statistics.recordMisses(1);
      value = generator != null ? startJob(key, encodedKey, null, 1)
          : loadUnderLease(key, encodedKey);
    } else {
      statistics.recordHits(1);
      value = serve(key, encodedKey, found);
    }
    statistics.recordGetTime(start);
    return value;
  }

  /** Each key with its own flow, one by one. */
  @Override
  public Map<K, V> getAll(List<K> keys) {
    Map<K, V> found = new LinkedHashMap<>();
    for (K key : keys) {
      V value = get(key);
      if (value != null) {
        found.put(key, value);
      }
    }
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    return steps.contains(key);
  }

  private V serve(K key, byte[] encodedKey, TimedValue found) {
    V value = codec.decodeValue(encodedKey, found.bytes());
    EntryState state = generator == null ? EntryState.ready() : generator.stateOf(value);
    boolean waiting = state.until() != null && state.until().isAfter(Instant.now());
    switch (state.kind()) {
      case PENDING -> {
        if (waiting) {
          counters.singleFlightWait();
          return value;
        }
        LOG.info("The generation of {} outlived its lease ({}); starting another",
            describe(encodedKey), state.until());
        return startJob(key, encodedKey, found.bytes(), 1);
      }
      case FAILED -> {
        if (waiting) {
          counters.backoffHit();
          return value;
        }
        return startJob(key, encodedKey, found.bytes(),
            state.failedAttempts() + 1);
      }
      default -> {
        if (found.expires() && policy.isStale(Duration.ofMillis(found.remainingMillis()))) {
          counters.staleHit();
          refreshLater(key, encodedKey, found.bytes());
        }
        return value;
      }
    }
  }

  /**
   * Stores a placeholder in place of {@code replacing} (nothing, a dead job's placeholder or an
   * expired failure) and queues its generation in Redis, in one round trip; if another caller got
   * there first, returns what it stored instead.
   */
  private V startJob(K key, byte[] encodedKey, byte[] replacing, int attempt) {
    GenerationJob<K, V> job = GenerationJob.queued(this, key, encodedKey, attempt);
    V placeholder = generator.placeholder(key, job);
    Condition condition = replacing == null ? Condition.ABSENT : Condition.holding(replacing);
    Write write = steps.set(placeholder).when(condition).returningPrevious(true);
    JobQueue.Enqueued enqueued;
    try {
      enqueued = queue.writeAndEnqueue(encodedKey, write, policy.jobQueue(),
          job.fields(write.value()));
    } catch (RuntimeException e) {
      // the placeholder may be stored while its job is not queued: no reader should wait on it
      try {
        withdraw(key, encodedKey, write.value(), replacing);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    Sent sent = new Sent(write, enqueued.write());
    if (!sent.applied() && Arrays.equals(sent.previous(), write.value())) {
      // the worker that took the job before the write arrived stored this placeholder for it
      counters.jobStarted();
      return placeholder;
    }
    if (!sent.applied()) {
      if (enqueued.id() != null) {
        // not ours to run: dropped off the reader's path, a worker would only drop it too
        heartbeat.soon("dropping the unneeded job of " + describe(encodedKey),
            () -> queue.done(enqueued.id()));
      }
      if (sent.previous() == null) {
        // what we meant to replace is gone already: compete for the empty entry instead
        return replacing == null ? null : startJob(key, encodedKey, null, attempt);
      }
      counters.singleFlightWait();
      return codec.decodeValue(encodedKey, sent.previous());
    }
    announce(key, placeholder, encodedKey, sent);
    if (enqueued.id() == null) {
      counters.jobRejected();
      withdraw(key, encodedKey, write.value(), sent.previous());
      throw new CacheLoaderException("Cannot generate " + describe(encodedKey) + ": the job"
          + " queue of cache " + name + " holds " + policy.jobQueue() + " jobs that no"
          + " worker has taken yet. Retry later, add workers (JVMs whose cache has job threads),"
          + " or raise StaleWhileRevalidate.jobQueue (job-queue in the configuration file)");
    }
    counters.jobStarted();
    LOG.debug("Queued the generation of {} (attempt {}, job {})", describe(encodedKey), attempt,
        job.id());
    if (workers != null) {
      workers.wake();
    }
    return placeholder;
  }

  /**
   * Runs a message a worker took: a miss's generation, or the refresh a JVM without job threads
   * asked for. Its message is removed once done (or handed back, when closing stops the job).
   */
  private void runQueued(JobQueue.Message message) {
    byte[] encodedKey = message.fields().get(GenerationJob.KEY);
    EntryCodec.DecodedKeys<K> decoded = codec.decodeKeys(
        encodedKey == null ? List.of() : List.of(encodedKey));
    if (decoded.keys().isEmpty()) {
      LOG.warn("Cache {}: dropping a queued job that names no key of this cache ({})", name,
          decoded.problem() == null ? "no key" : decoded.problem());
      doneWith(message);
      return;
    }
    K key = decoded.keys().get(0);
    try {
      if (GenerationJob.REFRESH.equals(text(message.fields().get(GenerationJob.KIND)))) {
        refreshQueued(key, encodedKey);
        doneWith(message);
        return;
      }
      GenerationJob<K, V> job = GenerationJob.taken(this, key, encodedKey, message);
      if (!job.take()) {
        LOG.debug("Dropping queued job {} of {}: the entry holds something else now", job.id(),
            describe(encodedKey));
        doneWith(message);
        return;
      }
      if (message.deliveries() > MAX_DELIVERIES) {
        job.fail(new CacheLoaderException("The workers that took job " + job.id() + " stopped"
            + " without finishing it " + (message.deliveries() - 1) + " times"));
        doneWith(message);
        return;
      }
      job.run();
    } catch (RuntimeException e) {
      // Redis failed around the job; the message is taken again once its lease runs out
      LOG.warn("Cannot run the queued job of {}: {}", describe(encodedKey), e.toString());
    }
  }

  /** Removes a message whose job is over; if Redis is away, a worker drops it after the lease. */
  void doneWith(JobQueue.Message message) {
    if (message == null) {
      return;
    }
    try {
      despiteInterrupt(() -> queue.done(message.id()));
    } catch (RuntimeException e) {
      LOG.debug("Cannot remove finished job message {}: {}", message.id(), e.toString());
    }
  }

  private void refreshQueued(K key, byte[] encodedKey) {
    TimedValue found = store.getWithTtlFromRedis(encodedKey);
    if (found == null || !found.expires()
        || !policy.isStale(Duration.ofMillis(found.remainingMillis()))) {
      return; // gone, or refreshed since it was queued
    }
    V value = codec.decodeValue(encodedKey, found.bytes());
    if (generator == null || generator.stateOf(value).kind() == EntryState.Kind.READY) {
      refresh(key, encodedKey, found.bytes());
    }
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Takes back a placeholder whose job could not be queued or was stopped by closing the cache,
   * putting back what it replaced: a failure record keeps its attempt count, an expired
   * placeholder lets the next reader try.
   */
  void withdraw(K key, byte[] encodedKey, byte[] bytes, byte[] replaced) {
    Write undo = replaced == null ? Write.delete() : Write.set(replaced, Ttl.KEEP, Ttl.KEEP);
    Sent sent = protocol.apply(encodedKey, undo.when(Condition.holding(bytes)), null);
    if (!sent.applied()) {
      return;
    }
    V placeholder = codec.decodeValue(encodedKey, bytes);
    EventBatch<K, V> batch = events.batch();
    if (replaced == null) {
      batch.removed(key, placeholder);
    } else {
      batch.updated(key, codec.decodeReplaced(encodedKey, replaced), placeholder);
    }
    batch.fire();
  }

  /** Hands a stale entry to the job executor, unless this JVM already did. */
  private void refreshLater(K key, byte[] encodedKey, byte[] staleBytes) {
    ByteBuffer id = ByteBuffer.wrap(encodedKey);
    Instant now = Instant.now();
    Instant retryAt = backedOff.get(id);
    if (retryAt != null) {
      if (retryAt.isAfter(now)) {
        counters.backoffHit();
        return;
      }
      backedOff.remove(id, retryAt);
    }
    Instant until = now.plus(policy.lease());
    Instant running = refreshing.putIfAbsent(id, until);
    if (running != null && (running.isAfter(now) || !refreshing.replace(id, running, until))) {
      counters.singleFlightWait();
      return;
    }
    if (jobs == null) {
      queueRefresh(encodedKey);
      return;
    }
    boolean submitted = jobs.submit(() -> {
      try {
        Instant notBefore = refresh(key, encodedKey, staleBytes);
        if (notBefore != null) {
          if (backedOff.size() >= MAX_BACKED_OFF) {
            backedOff.clear();
          }
          backedOff.put(id, notBefore);
        }
      } catch (RuntimeException e) {
        // Redis failed around the refresh (not the loader, whose failures are recorded)
        LOG.warn("Cannot refresh stale {}; it stays served: {}", describe(encodedKey),
            e.toString());
      } finally {
        refreshing.remove(id, until);
      }
    });
    if (!submitted) {
      refreshing.remove(id, until);
      counters.jobRejected();
      LOG.debug("Not refreshing stale {}: the job executor is full or closed", describe(encodedKey));
    }
  }

  /**
   * Asks the workers of other JVMs to refresh a stale entry, off the reader's path. The entry
   * stays marked as refreshing here until its lease ends: the refresh runs elsewhere, unseen.
   */
  private void queueRefresh(byte[] encodedKey) {
    Map<String, byte[]> fields = Map.of(GenerationJob.KIND,
        GenerationJob.REFRESH.getBytes(StandardCharsets.UTF_8), GenerationJob.KEY, encodedKey);
    heartbeat.soon("queueing the refresh of " + describe(encodedKey), () -> {
      if (queue.enqueue(policy.jobQueue(), fields) == null) {
        counters.jobRejected();
        LOG.debug("Not refreshing stale {}: the job queue is full", describe(encodedKey));
      }
    });
  }

  /**
   * Reloads a stale entry under its lease and stores the result if the entry still holds the stale
   * bytes. A failure leaves the stale entry served and is recorded, so that nobody retries before
   * the backoff ends.
   *
   * @return when this JVM may try again: after a failure's retry time, or after the lease of
   *     another JVM's refresh; {@code null} if it may try at once
   */
  private Instant refresh(K key, byte[] encodedKey, byte[] staleBytes) {
    String token = UUID.randomUUID().toString();
    JobRecords.Grant grant = records.acquire(encodedKey, token, policy.lease());
    if (!grant.acquired()) {
      if (grant.retryAt() != null) {
        counters.backoffHit();
        return grant.retryAt();
      }
      counters.singleFlightWait();
      return Instant.now().plus(grant.heldFor());
    }
    try {
      if (!Arrays.equals(store.get(encodedKey), staleBytes)) {
        return null; // refreshed, replaced or removed since it was read
      }
      LOG.debug("Refreshing stale {}", describe(encodedKey));
      V value;
      try (var beat = leaseBeat("the refresh of", encodedKey, token)) {
        value = generator != null
            ? generator.generate(key,
                GenerationJob.refresh(this, key, encodedKey, grant.failedAttempts() + 1, token))
            : loader.load(key);
      }
      if (value == null) {
        return null;
      }
      if (storeWhen(key, encodedKey, value, Condition.holding(staleBytes)).applied()) {
        counters.refreshed();
      } else {
        counters.jobSuperseded();
      }
      return null;
    } catch (Exception e) {
      if (stoppedByClose(e)) {
        LOG.info("The refresh of {} stopped because the cache is closing; not a failure",
            describe(encodedKey));
        return null;
      }
      Instant retryAt = recordFailure(encodedKey, token, grant.failedAttempts() + 1);
      counters.refreshFailed();
      LOG.warn("Refreshing stale {} failed (attempt {}); it stays served until it expires, and no"
          + " refresh starts before {}: {}", describe(encodedKey), grant.failedAttempts() + 1,
          retryAt, e.toString());
      LOG.debug("The failure of that refresh", e);
      return retryAt;
    } finally {
      releaseQuietly(encodedKey, token);
    }
  }

  /**
   * Whether a failure comes from closing the cache, which interrupts its jobs: loaders may wrap the
   * interrupt in any exception. Such a failure is not recorded, since no JVM should back off.
   */
  boolean stoppedByClose(Exception failure) {
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return closing || Thread.currentThread().isInterrupted();
  }

  /** Keeps the job record's lease of a refresh or a plain load while it runs. */
  private Heartbeat.Beat leaseBeat(String work, byte[] encodedKey, String token) {
    return heartbeat.start(work + " " + describe(encodedKey), () -> extendLease(encodedKey, token));
  }

  /** Renews the lease of a refresh or a plain load: on every beat, and when a generator shows progress. */
  boolean extendLease(byte[] encodedKey, String token) {
    return records.extend(encodedKey, token, policy.lease());
  }

  /** Gives a lease back; if Redis or the manager is gone, the lease simply runs out. */
  private void releaseQuietly(byte[] encodedKey, String token) {
    try {
      despiteInterrupt(() -> records.release(encodedKey, token));
    } catch (RuntimeException e) {
      LOG.debug("Cannot give back the lease of {}; it runs out by itself: {}",
          describe(encodedKey), e.toString());
    }
  }

  /**
   * Runs a write that gives something back even on a thread that closing interrupted to stop its
   * loader: the interrupt would cut the write short. The interrupt is restored after it.
   */
  static void despiteInterrupt(Runnable write) {
    boolean interrupted = Thread.interrupted();
    try {
      write.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A plain loader's miss: one caller among all JVMs loads under the entry's lease, the others
   * wait for its value. A recent failure is answered with an exception until its retry time.
   */
  private V loadUnderLease(K key, byte[] encodedKey) {
    long deadline = System.nanoTime() + policy.lease().plus(store.settings().timeout())
        .toNanos();
    String token = UUID.randomUUID().toString();
    long pause = TimeUnit.MILLISECONDS.toNanos(5);
    boolean waited = false;
    while (true) {
      JobRecords.Grant grant = records.acquire(encodedKey, token, policy.lease());
      if (grant.acquired()) {
        // the previous holder may have stored the value between our read and our lease
        byte[] stored = store.get(encodedKey);
        if (stored != null) {
          releaseQuietly(encodedKey, token);
          return codec.decodeValue(encodedKey, stored);
        }
        return loadAndStore(key, encodedKey, token, grant.failedAttempts());
      }
      if (grant.retryAt() != null) {
        counters.backoffHit();
        throw new CacheLoaderException("Loading " + describe(encodedKey) + " failed recently; it"
            + " is not retried before " + grant.retryAt());
      }
      if (!waited) {
        counters.singleFlightWait();
        waited = true;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new CacheLoaderException("Waited " + policy.lease() + " for another caller loading "
            + describe(encodedKey) + " without a result");
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, MAX_POLL_NANOS);
      byte[] found = store.get(encodedKey);
      if (found != null) {
        return codec.decodeValue(encodedKey, found);
      }
    }
  }

  private V loadAndStore(K key, byte[] encodedKey, String token, int failedBefore) {
    counters.jobStarted();
    try {
      V value;
      try (var beat = leaseBeat("the load of", encodedKey, token)) {
        value = loader.load(key);
      }
      if (value != null) {
        storeWhen(key, encodedKey, value, Condition.ABSENT);
      }
      counters.jobSucceeded();
      releaseQuietly(encodedKey, token);
      return value;
    } catch (RuntimeException e) {
      if (stoppedByClose(e)) {
        throw e;
      }
      counters.jobFailed();
      Instant retryAt = recordFailure(encodedKey, token, failedBefore + 1);
      LOG.warn("Loading {} failed (attempt {}); no retry before {}: {}", describe(encodedKey),
          failedBefore + 1, retryAt, e.toString());
      LOG.debug("The failure of that load", e);
      throw e;
    }
  }

  /** Records a failure in the job record, if that is possible: the failure itself is reported. */
  private Instant recordFailure(byte[] encodedKey, String token, int attempts) {
    Duration delay = policy.backoff().delay(attempts);
    try {
      return records.recordFailure(encodedKey, token, attempts, delay,
          delay.plus(policy.backoff().max()));
    } catch (RuntimeException e) {
      LOG.warn("Cannot record the failure of {}: {}", describe(encodedKey), e.toString());
      return null;
    }
  }

  /**
   * Stores a loaded or generated value where {@code condition} holds, with the value's own or the
   * policy's time-to-live, and announces it.
   *
   * @return the write as sent, and what Redis answered
   */
  Sent storeWhen(K key, byte[] encodedKey, V value, Condition condition) {
    Sent sent = protocol.apply(encodedKey, steps.set(value).when(condition)
        .returningPrevious(events.oldValuesRequired()), null);
    if (sent.applied()) {
      announce(key, value, encodedKey, sent);
    }
    return sent;
  }

  void announce(K key, V value, byte[] encodedKey, Sent sent) {
    EventBatch<K, V> batch = events.batch();
    steps.announceSet(key, value, codec.decodeReplaced(encodedKey, sent.previous()), sent,
        batch);
    batch.fire();
  }

  String describe(byte[] encodedKey) {
    return store.layout().describe(encodedKey);
  }

  /**
   * The time-to-live a {@link BackgroundLoader}'s placeholders and failure records set for
   * themselves, whoever writes them (the cache's jobs, or an application through {@code put} or
   * {@code invoke}): a placeholder lives until its lease ends, so a dead job's placeholder goes;
   * a failure record lives past its retry time by the backoff's maximum, so that its attempt count
   * is still there when the retry fails too.
   *
   * @return each value's own time-to-live, or {@code null} where the expiry policy decides: for
   *     every value of a cache without stale-while-revalidate or without a background loader
   */
  static <K, V> Function<V, Ttl> ownLifetimes(ExpiryPolicy expiry, Loader<K, V> readThrough) {
    if (!(expiry instanceof StaleWhileRevalidate policy)
        || !(readThrough.target() instanceof BackgroundLoader<K, V> generator)) {
      return value -> null;
    }
    return value -> {
      EntryState state = generator.stateOf(value);
      if (state.kind() == EntryState.Kind.READY) {
        return null;
      }
      Duration left = Duration.between(Instant.now(), state.until());
      if (state.kind() == EntryState.Kind.FAILED) {
        left = left.plus(policy.backoff().max());
      }
      return Ttl.millis(left.toMillis());
    };
  }

  /**
   * Stops taking queued jobs, then lets the running ones finish within the timeout; those still
   * running are interrupted and hand their jobs back to the queue.
   */
  @Override
  public void close() {
    countersBean.unregister();
    closing = true;
    if (workers != null) {
      workers.stop(pubSub.get(), store.layout().jobChannel());
      jobs.close(store.settings().timeout().toMillis());
    }
    heartbeat.close();
    calls.close();
  }
}

package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.JobQueue;
import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.EntryState;
import dev.stepper.cache.swr.Job;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation by a {@link dev.stepper.cache.swr.BackgroundLoader}. A miss's job is queued in
 * Redis by the reader that stored its first placeholder ({@link #queued}) and run by whichever
 * worker takes its message ({@link #taken}); a refresh's job runs where the stale read was seen,
 * under the entry's lease. Each write is a compare-and-set on the bytes the job stored last, so a
 * job that a newer one superseded changes nothing, and a job never leaves half a write behind.
 */
final class GenerationJob<K, V> implements Job<V> {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationJob.class);
  /** The fields of a queued job's message. */
  static final String KEY = "key";
  static final String KIND = "kind";
  static final String ID = "id";
  static final String ATTEMPT = "attempt";
  static final String REQUESTED = "requested";
  static final String PLACEHOLDER = "placeholder";
  /** {@link #KIND}: a miss to generate, or a stale entry to refresh. */
  static final String GENERATE = "generate";
  static final String REFRESH = "refresh";

  private final Revalidation<K, V> revalidation;
  private final K key;
  private final byte[] encodedKey;
  private final String id;
  private final int attempt;
  /** For a refresh, the token of the lease it runs under; {@code null} for a miss. */
  private final String leaseToken;
  private final Instant requestedAt;
  /** The queue message a worker runs, or {@code null} for a refresh or a reader's new job. */
  private final JobQueue.Message message;
  private Instant leaseUntil;
  /** What the entry holds while this job owns it: its latest placeholder. */
  private byte[] placed;
  /** Whether a write found the entry no longer holding this job's placeholder. */
  private boolean superseded;
  /** How the placeholder was last built, so that a heartbeat can store it again, renewed. */
  private Function<? super Job<V>, ? extends V> placeholder;

  private GenerationJob(Revalidation<K, V> revalidation, K key, byte[] encodedKey, String id,
      int attempt, Instant requestedAt, String leaseToken, JobQueue.Message message) {
    this.revalidation = revalidation;
    this.key = key;
    this.encodedKey = encodedKey;
    this.id = id;
    this.attempt = attempt;
    this.requestedAt = requestedAt;
    this.leaseToken = leaseToken;
    this.message = message;
    this.leaseUntil = Instant.now().plus(revalidation.policy.lease());
    this.placeholder = job -> revalidation.generator.placeholder(key, job);
  }

  /** A new job for a miss, whose first placeholder a reader is about to store and queue. */
  static <K, V> GenerationJob<K, V> queued(Revalidation<K, V> revalidation, K key,
      byte[] encodedKey, int attempt) {
    return new GenerationJob<>(revalidation, key, encodedKey, UUID.randomUUID().toString(),
        attempt, Instant.now(), null, null);
  }

  /** The refresh of a stale entry, under the entry's lease. */
  static <K, V> GenerationJob<K, V> refresh(Revalidation<K, V> revalidation, K key,
      byte[] encodedKey, int attempt, String leaseToken) {
    return new GenerationJob<>(revalidation, key, encodedKey, UUID.randomUUID().toString(),
        attempt, Instant.now(), leaseToken, null);
  }

  /** A queued job as a worker took it from the queue. */
  static <K, V> GenerationJob<K, V> taken(Revalidation<K, V> revalidation, K key,
      byte[] encodedKey, JobQueue.Message message) {
    Map<String, byte[]> fields = message.fields();
    return new GenerationJob<>(revalidation, key, encodedKey, text(fields.get(ID)),
        Integer.parseInt(text(fields.get(ATTEMPT))),
        Instant.ofEpochMilli(Long.parseLong(text(fields.get(REQUESTED)))), null, message);
  }

  /** @return the queue message of this job, its placeholder being the bytes given */
  Map<String, byte[]> fields(byte[] placeholderBytes) {
    Map<String, byte[]> fields = new LinkedHashMap<>();
    fields.put(KIND, utf8(GENERATE));
    fields.put(KEY, encodedKey);
    fields.put(ID, utf8(id));
    fields.put(ATTEMPT, utf8(Integer.toString(attempt)));
    fields.put(REQUESTED, utf8(Long.toString(requestedAt.toEpochMilli())));
    fields.put(PLACEHOLDER, placeholderBytes);
    return fields;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Instant requestedAt() {
    return requestedAt;
  }

  @Override
  public synchronized Instant leaseUntil() {
    return leaseUntil;
  }

  @Override
  public boolean isRefresh() {
    return leaseToken != null;
  }

  @Override
  public Call call(Budget budget, Duration hold) throws InterruptedException {
    return revalidation.calls.start(budget, hold, () -> LOG.debug(
        "Job {} for {} waits for the budget of {}", id, revalidation.describe(encodedKey),
        budget.name()));
  }

  private synchronized boolean isSuperseded() {
    return superseded;
  }

  synchronized void placed(byte[] bytes) {
    this.placed = bytes;
  }

  @Override
  public synchronized boolean update(Function<? super Job<V>, ? extends V> placeholder) {
    if (leaseToken != null) {
      leaseUntil = Instant.now().plus(revalidation.policy.lease());
      return revalidation.extendLease(encodedKey, leaseToken);
    }
    if (placed == null) {
      return false;
    }
    this.placeholder = placeholder;
    leaseUntil = Instant.now().plus(revalidation.policy.lease());
    byte[] stored = store(placeholder.apply(this));
    if (stored == null) {
      return false;
    }
    placed = stored;
    return true;
  }

  /**
   * Stores the latest placeholder again with a renewed lease, as the heartbeat does, and tells the
   * queue that this worker still runs the job.
   */
  private synchronized boolean renew() {
    boolean kept = update(placeholder);
    if (kept && message != null) {
      revalidation.queue.beat(revalidation.consumer(), message.id());
    }
    return kept;
  }

  /**
   * Makes a taken message's job this worker's. The entry still holding the queued placeholder is
   * taken as it is, so readers keep seeing the one placeholder; it is stored again with a fresh
   * lease only if a third of its lease went by in the queue, before the first heartbeat. What a
   * dead job or an expired failure left, or nothing (a placeholder expires when its job waits past
   * its lease, and closing a cache withdraws it), is replaced by a new placeholder — or, while the
   * message is that young, by the queued one: the reader's write may not have arrived yet (the
   * queue lives on another shard, or the write's script had to be loaded again), and this way the
   * reader finds its own placeholder (and if the reader's write lands between this read and this
   * claim, the placeholder is the job's all the same). An entry that holds anything else has been
   * taken care of: a value, or a newer job's placeholder.
   *
   * @return whether this worker now owns the entry
   */
  synchronized boolean take() {
    byte[] queued = message.fields().get(PLACEHOLDER);
    boolean young = queued.length > 0 && Duration.between(requestedAt, Instant.now())
        .compareTo(revalidation.policy.lease().dividedBy(3)) < 0;
    byte[] stored = revalidation.store.get(encodedKey);
    if (stored != null && Arrays.equals(stored, queued)) {
      if (young) {
        placed = stored;
        return true;
      }
    } else if (stored != null && !startable(stored)) {
      return false;
    }
    Condition condition = stored == null ? Condition.ABSENT : Condition.holding(stored);
    V fresh;
    Write write;
    if (young && !Arrays.equals(stored, queued)) {
      fresh = revalidation.codec.decodeValue(encodedKey, queued);
      Ttl lease = revalidation.steps.ownTtl(fresh);
      write = Write.set(queued, lease, lease);
    } else {
      leaseUntil = Instant.now().plus(revalidation.policy.lease());
      fresh = placeholder.apply(this);
      write = revalidation.steps.set(fresh);
    }
    Sent sent = revalidation.protocol.apply(encodedKey,
        write.when(condition).returningPrevious(true), null);
    if (!sent.applied()) {
      if (young && Arrays.equals(sent.previous(), queued)) {
        placed = queued;
        return true;
      }
      return false;
    }
    revalidation.announce(key, fresh, encodedKey, sent);
    placed = sent.write().value();
    return true;
  }

  private boolean startable(byte[] stored) {
    EntryState state = revalidation.generator.stateOf(
        revalidation.codec.decodeValue(encodedKey, stored));
    return state.kind() != EntryState.Kind.READY && state.until() != null
        && !state.until().isAfter(Instant.now());
  }

  /**
   * Runs a taken message's job: generates the value and stores it, or the failure record, in place
   * of the placeholder, and removes the message. The heartbeat keeps the placeholder's lease and
   * the message while the generator runs. A job stopped by closing the cache is handed back to the
   * queue instead, for another worker.
   */
  void run() {
    V value;
    try (var beat = revalidation.heartbeat.start("job " + id + " for "
        + revalidation.describe(encodedKey), this::renew)) {
      value = revalidation.generator.generate(key, this);
      if (value == null) {
        throw new IllegalStateException(revalidation.generator + " generated null");
      }
    } catch (Exception e) {
      if (revalidation.stoppedByClose(e)) {
        handBack();
        return;
      } else if (isSuperseded()) {
        LOG.info("Job {} for {} gave up after a newer job replaced its placeholder", id,
            revalidation.describe(encodedKey));
      } else {
        fail(e);
      }
      revalidation.doneWith(message);
      return;
    }
    try {
      if (finish(value)) {
        revalidation.counters.jobSucceeded();
        LOG.debug("Generated {} (job {})", revalidation.describe(encodedKey), id);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot store the generated {} (job {}); its placeholder expires by lease",
          revalidation.describe(encodedKey), id, e);
    }
    revalidation.doneWith(message);
  }

  /** Stores the failure record of a job that could not run or failed. */
  void fail(Exception error) {
    Duration delay = revalidation.policy.backoff().delay(attempt);
    Instant retryAt = Instant.now().plus(delay);
    revalidation.counters.jobFailed();
    // an expected outcome, recorded for the callers: one line, the stack trace at DEBUG
    LOG.warn("Generating {} failed (attempt {}, job {}); no retry before {}: {}",
        revalidation.describe(encodedKey), attempt, id, retryAt, error.toString());
    LOG.debug("The failure of job {}", id, error);
    try {
      V record = revalidation.generator.failed(key, this, error, retryAt);
      finish(record);
    } catch (RuntimeException e) {
      LOG.warn("Cannot store the failure of {} (job {}); its placeholder expires by lease",
          revalidation.describe(encodedKey), id, e);
    }
  }

  /**
   * Hands a job stopped by closing its cache back: its placeholder is removed, so that readers
   * need not wait out its lease, and its message goes back in the queue (with its attempt count),
   * so that another worker, or this application when it starts again, runs it.
   */
  private synchronized void handBack() {
    if (placed == null) {
      return;
    }
    byte[] latest = placed;
    placed = null;
    try {
      Revalidation.despiteInterrupt(() -> {
        revalidation.withdraw(key, encodedKey, latest, null);
        revalidation.queue.handBack(message.id(), fields(new byte[0]));
      });
      LOG.info("Job {} for {} stopped because the cache is closing; it is back in the queue for"
          + " another worker", id, revalidation.describe(encodedKey));
    } catch (RuntimeException e) {
      LOG.info("Job {} for {} stopped because the cache is closing; another worker takes it over"
          + " once its lease runs out ({})", id, revalidation.describe(encodedKey), e.toString());
    }
  }

  /** Stores the job's last word, its value or its failure record; it owns no placeholder after. */
  private synchronized boolean finish(V value) {
    boolean stored = store(value) != null;
    placed = null;
    return stored;
  }

  /** @return the bytes now stored in place of this job's placeholder, or null if it was replaced */
  private synchronized byte[] store(V value) {
    Sent sent = revalidation.storeWhen(key, encodedKey, value, Condition.holding(placed));
    if (sent.applied()) {
      return sent.write().value();
    }
    if (!superseded) {
      superseded = true;
      revalidation.counters.jobSuperseded();
      LOG.info("Dropping the result of job {} for {}: the entry no longer holds its placeholder",
          id, revalidation.describe(encodedKey));
    }
    return null;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

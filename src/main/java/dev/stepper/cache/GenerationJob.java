package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.swr.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation by a {@link dev.stepper.cache.swr.BackgroundLoader}. Each of its writes is a
 * compare-and-set on the bytes it stored last, so a job that a newer one superseded (after its
 * lease ran out) changes nothing, and a job never leaves half a write behind.
 */
final class GenerationJob<K, V> implements Job<V> {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationJob.class);

  private final Revalidation<K, V> revalidation;
  private final K key;
  private final byte[] encodedKey;
  private final String id = UUID.randomUUID().toString();
  private final int attempt;
  /** For a refresh, the token of the lease it runs under; {@code null} for a miss. */
  private final String leaseToken;
  private final Instant requestedAt = Instant.now();
  private Instant leaseUntil;
  /** What the entry holds while this job owns it: its latest placeholder. */
  private byte[] placed;
  /** What the first placeholder replaced: nothing, or a failure record or dead job's placeholder. */
  private byte[] replaced;
  /** Whether a write found the entry no longer holding this job's placeholder. */
  private boolean superseded;
  /** How the placeholder was last built, so that a heartbeat can store it again, renewed. */
  private Function<? super Job<V>, ? extends V> placeholder;

  /**
   * @param leaseToken for a refresh, the token of the lease it runs under; {@code null} for a job
   *     that fills a miss with a placeholder
   */
  GenerationJob(Revalidation<K, V> revalidation, K key, byte[] encodedKey, int attempt,
      String leaseToken) {
    this.revalidation = revalidation;
    this.key = key;
    this.encodedKey = encodedKey;
    this.attempt = attempt;
    this.leaseToken = leaseToken;
    this.leaseUntil = requestedAt.plus(revalidation.policy.lease());
    this.placeholder = job -> revalidation.generator.placeholder(key, job);
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

  private synchronized boolean isSuperseded() {
    return superseded;
  }

  synchronized void placed(byte[] bytes, byte[] replaced) {
    this.placed = bytes;
    this.replaced = replaced;
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

  /** Stores the latest placeholder again with a renewed lease, as the heartbeat does. */
  private synchronized boolean renew() {
    return update(placeholder);
  }

  /**
   * Generates the value and stores it, or the failure record, in place of the placeholder. The
   * heartbeat keeps the placeholder's lease while the generator runs.
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
      } else if (isSuperseded()) {
        LOG.info("Job {} for {} gave up after a newer job replaced its placeholder", id,
            revalidation.describe(encodedKey));
      } else {
        fail(e);
      }
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
  }

  private void fail(Exception error) {
    Duration delay = revalidation.policy.backoff().delay(attempt);
    Instant retryAt = Instant.now().plus(delay);
    revalidation.counters.jobFailed();
    LOG.warn("Generating {} failed (attempt {}, job {}); no retry before {}",
        revalidation.describe(encodedKey), attempt, id, retryAt, error);
    try {
      V record = revalidation.generator.failed(key, this, error, retryAt);
      finish(record);
    } catch (RuntimeException e) {
      LOG.warn("Cannot store the failure of {} (job {}); its placeholder expires by lease",
          revalidation.describe(encodedKey), id, e);
    }
  }

  /**
   * Puts back what the placeholder replaced, for a job stopped by closing its cache: the next
   * read in any JVM starts the job again at once, instead of waiting for the lease to run out.
   */
  private synchronized void handBack() {
    if (placed == null) {
      return;
    }
    try {
      Revalidation.despiteInterrupt(
          () -> revalidation.withdraw(key, encodedKey, placed, replaced));
      LOG.info("Job {} for {} stopped because the cache is closing; the entry is handed back for"
          + " the next reader to start again", id, revalidation.describe(encodedKey));
    } catch (RuntimeException e) {
      LOG.info("Job {} for {} stopped because the cache is closing; its placeholder expires by"
          + " lease ({})", id, revalidation.describe(encodedKey), e.toString());
    }
    placed = null;
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
}

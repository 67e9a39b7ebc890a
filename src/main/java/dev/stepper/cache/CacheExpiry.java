package dev.stepper.cache;

import dev.stepper.cache.redis.Ttl;
import dev.stepper.cache.redis.Write;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache's expiry policy, evaluated in Java and turned into Redis time-to-lives.
 *
 * <p>The five policies of {@code javax.cache.expiry}, and {@link StaleWhileRevalidate}, always
 * answer the same, so their answers are taken once and a write can carry both its creation and its
 * update time-to-live: Redis picks one and the write costs one round trip. Any other policy is asked at the moment the specification
 * says, once it is known whether the entry exists, which costs a probe first.
 *
 * <p>A policy that throws is treated as answering "eternal" on creation and "unchanged" on update
 * or access, as the reference implementation does.
 */
final class CacheExpiry {

  private static final Logger LOG = LoggerFactory.getLogger(CacheExpiry.class);
  private static final Set<Class<?>> CONSTANT_POLICIES = Set.of(EternalExpiryPolicy.class,
      CreatedExpiryPolicy.class, AccessedExpiryPolicy.class, ModifiedExpiryPolicy.class,
      TouchedExpiryPolicy.class);
  /** Longer than any cache needs; beyond it Redis would overflow its expiry clock. */
  private static final long MAX_MILLIS = TimeUnit.DAYS.toMillis(365L * 100);

  private final ExpiryPolicy policy;
  private final boolean constant;
  private final Ttl creation;
  private final Ttl update;
  private final Ttl access;

  CacheExpiry(ExpiryPolicy policy) {
    this.policy = policy;
    this.constant = CONSTANT_POLICIES.contains(policy.getClass())
        || policy instanceof StaleWhileRevalidate;
    this.creation = constant ? askCreation() : null;
    this.update = constant ? askUpdate() : null;
    this.access = constant ? askAccess() : null;
  }

  /** @return whether every answer is known in advance */
  boolean isConstant() {
    return constant;
  }

  /** @return the time-to-live of a new entry */
  Ttl creation() {
    return constant ? creation : askCreation();
  }

  /** @return what an update does to the time-to-live */
  Ttl update() {
    return constant ? update : askUpdate();
  }

  /** @return what a read does to the time-to-live */
  Ttl access() {
    return constant ? access : askAccess();
  }

  /**
   * A write of a value carrying both time-to-lives when they are known in advance; otherwise the
   * cache probes and decides (see {@link Write#afterProbe}).
   */
  Write set(byte[] value) {
    return constant ? Write.set(value, creation, update) : Write.set(value, Ttl.KEEP, Ttl.KEEP);
  }

  /**
   * @return for a write of a value, the choice between the creation and the update time-to-live
   *     once a probe has shown whether the entry exists; {@code null} when {@link #set} carries
   *     both already
   */
  WriteProtocol.Decision decision() {
    return constant ? null : (index, existed) -> existed ? askUpdate() : askCreation();
  }

  private Ttl askCreation() {
    Duration duration = ask(policy::getExpiryForCreation, "creation");
    return duration == null ? Ttl.ETERNAL : toTtl(duration);
  }

  private Ttl askUpdate() {
    Duration duration = ask(policy::getExpiryForUpdate, "update");
    return duration == null ? Ttl.KEEP : toTtl(duration);
  }

  private Ttl askAccess() {
    Duration duration = ask(policy::getExpiryForAccess, "access");
    return duration == null ? Ttl.KEEP : toTtl(duration);
  }

  private Duration ask(Supplier<Duration> question, String what) {
    try {
      return question.get();
    } catch (RuntimeException e) {
      LOG.warn("Expiry policy {} failed on {}; keeping the default", policy, what, e);
      return null;
    }
  }

  static Ttl toTtl(Duration duration) {
    if (duration.isZero()) {
      return Ttl.ZERO;
    }
    if (duration.isEternal()) {
      return Ttl.ETERNAL;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    return millis >= MAX_MILLIS ? Ttl.ETERNAL : Ttl.millis(millis);
  }

  ExpiryPolicy policy() {
    return policy;
  }
}

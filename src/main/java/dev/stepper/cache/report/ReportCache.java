package dev.stepper.cache.report;

import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;

/**
 * A small typed facade over the report cache, a {@code Cache<ReportKey, Report>}. Everything it
 * does can be done with the plain JCache API (the README maps each method); the cache itself runs
 * the whole flow on {@code get}: fresh reports served, stale ones served and regenerated in the
 * background, misses answered with a placeholder while one job generates the report.
 *
 * <pre>{@code
 * ReportCache reports = ReportCache.create(manager, StaleWhileRevalidate
 *     .fresh(Duration.ofMinutes(10)).stale(Duration.ofHours(1)), generator);
 * Report report = reports.get(reports.buildCacheKey("user123", "shaabc"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ReportCache {

  /** The cache name: with the manager prefix {@code stepper}, keys read {@code stepper:report:…}. */
  public static final String NAME = "report";

  private final Cache<ReportKey, Report> cache;
  private final StaleWhileRevalidate policy;

  private ReportCache(Cache<ReportKey, Report> cache, StaleWhileRevalidate policy) {
    this.cache = cache;
    this.policy = policy;
  }

  /**
   * The report cache's configuration: readable keys, JSON values, the policy, and a
   * {@link ReportLoader} over the generator with read-through on.
   *
   * @param policy the fresh and stale windows, lease, backoff and job executor
   * @param generator what writes the reports
   * @return a new configuration, which the caller may change further
   */
  public static StepperConfiguration<ReportKey, Report> configuration(StaleWhileRevalidate policy,
      ReportGenerator generator) {
    ReportLoader loader = new ReportLoader(generator);
    Factory<CacheLoader<ReportKey, Report>> loaderFactory = () -> loader;
    StepperConfiguration<ReportKey, Report> config = new StepperConfiguration<>();
    config.setKeyCodec(ReportCodecs.Keys.INSTANCE).setValueCodec(ReportCodecs.Values.INSTANCE)
        .setTypes(ReportKey.class, Report.class)
        .setExpiryPolicyFactory(policy.factory())
        .setCacheLoaderFactory(loaderFactory)
        .setReadThrough(true);
    return config;
  }

  /**
   * Opens the manager's cache {@value #NAME}, creating it with {@link #configuration} if needed. A
   * cache that exists already (declared in a configuration file, or created by another caller) is
   * used as it is configured: {@code policy} and {@code generator} then play no part.
   *
   * @param manager the cache manager; prefix {@code stepper} gives keys like
   *     {@code stepper:report:user123:shaabc}
   * @param policy the fresh and stale windows, lease, backoff and job executor
   * @param generator what writes the reports
   * @return the facade
   */
  public static ReportCache create(CacheManager manager, StaleWhileRevalidate policy,
      ReportGenerator generator) {
    Cache<ReportKey, Report> cache = manager.getCache(NAME, ReportKey.class, Report.class);
    if (cache == null) {
      try {
        cache = manager.createCache(NAME, configuration(policy, generator));
      } catch (CacheException e) {
        // another thread created it in between
        cache = manager.getCache(NAME, ReportKey.class, Report.class);
        if (cache == null) {
          throw e;
        }
      }
    }
    return of(cache);
  }

  /**
   * @param cache a cache configured with a {@link StaleWhileRevalidate} expiry policy
   * @return the facade over it
   * @throws IllegalArgumentException if the cache has another expiry policy
   */
  public static ReportCache of(Cache<ReportKey, Report> cache) {
    @SuppressWarnings("unchecked")
    CompleteConfiguration<ReportKey, Report> config =
        cache.getConfiguration(CompleteConfiguration.class);
    ExpiryPolicy expiry = config.getExpiryPolicyFactory().create();
    if (!(expiry instanceof StaleWhileRevalidate policy)) {
      throw new IllegalArgumentException("Cache " + cache.getName() + " has expiry policy "
          + expiry + "; a report cache needs a StaleWhileRevalidate policy");
    }
    return new ReportCache(cache, policy);
  }

  /**
   * The cache manager's shared Lettuce client, for applications that need Redis directly; it is
   * closed with the manager. Asked for by type, so that this facade does not tie its callers to
   * a Lettuce version: {@code RedisClient.class} on one server or a Sentinel's master,
   * {@code RedisClusterClient.class} on a Redis Cluster.
   *
   * @param type the client's class
   * @param <T> the client's type
   * @return the client
   * @throws IllegalArgumentException if the manager has no client of that type
   */
  public <T> T getRedisClient(Class<T> type) {
    return cache.getCacheManager().unwrap(type);
  }

  /**
   * @param user the user id
   * @param sha the commit id
   * @return the key, stored as {@code <prefix>:report:<user>:<sha>}
   * @throws IllegalArgumentException if a part is not valid (see {@link ReportKey})
   */
  public ReportKey buildCacheKey(String user, String sha) {
    return new ReportKey(user, sha);
  }

  /** @return the cache itself */
  public Cache<ReportKey, Report> getReportCache() {
    return cache;
  }

  /**
   * The whole flow in one call: {@code getReportCache().get(key)}.
   *
   * @param key which report
   * @return the report, a placeholder while it is generated, or the failure until its retry time
   */
  public Report get(ReportKey key) {
    return cache.get(key);
  }

  /**
   * Marks a report as being generated by a job the caller runs itself, unless the cache holds an
   * entry for it already.
   *
   * @param key which report
   * @param jobId the caller's job
   * @return the placeholder stored, or {@code null} if an entry was there
   */
  public Report.Dehydrated setDehydrated(ReportKey key, String jobId) {
    Instant now = Instant.now();
    var placeholder = new Report.Dehydrated(jobId, now, new Report.Progress("queued", 0, now),
        now.plus(policy.lease()));
    return cache.putIfAbsent(key, placeholder) ? placeholder : null;
  }

  /**
   * Stores a finished report in place of the job's placeholder, only if the entry still carries
   * that job id: a late or duplicate job never overwrites a newer entry.
   *
   * @param key which report
   * @param jobId the job that made it
   * @param content the report
   * @param providers the providers tried
   * @return whether it was stored
   */
  public boolean setHydrated(ReportKey key, String jobId, String content,
      List<ProviderAttempt> providers) {
    return replacePlaceholder(key, jobId,
        new Report.Hydrated(content, Instant.now(), providers));
  }

  /**
   * Records that the job failed, in place of its placeholder and only if the entry still carries
   * that job id. Requests get the failure until its retry time, computed by the policy's backoff.
   *
   * @param key which report
   * @param jobId the job that failed
   * @param error what went wrong
   * @param attempts failed attempts in a row, this one included
   * @return the failure stored, or {@code null} if the entry no longer carried the job
   */
  public Report.Failed markFailed(ReportKey key, String jobId, String error, int attempts) {
    Instant now = Instant.now();
    var failed = new Report.Failed(error, attempts, now,
        now.plus(policy.backoff().delay(attempts)), List.of());
    return replacePlaceholder(key, jobId, failed) ? failed : null;
  }

  private boolean replacePlaceholder(ReportKey key, String jobId, Report replacement) {
    Objects.requireNonNull(jobId, "jobId");
    // invoke is a compare-and-set on the entry, across JVMs
    return cache.invoke(key, (entry, args) -> {
      // exists() first: getValue() of an absent entry would generate a report by read-through
      if (entry.exists() && entry.getValue() instanceof Report.Dehydrated d && d.jobId().equals(jobId)) {
        entry.setValue(replacement);
        return true;
      }
      return false;
    });
  }

  /**
   * Judges a report by its {@code generatedAt}. The cache itself judges an entry by the time
   * Redis still keeps it; the two agree for reports stored when they were generated, as the
   * cache's jobs store them.
   *
   * @param report a cache entry
   * @return whether it is a finished report still in its fresh window
   */
  public boolean isHydratedFresh(Report report) {
    return report instanceof Report.Hydrated h && age(h).compareTo(policy.freshWindow()) < 0;
  }

  /**
   * @param report a cache entry
   * @return whether it is a finished report past its fresh window but within its stale window:
   *     served while a new one is generated
   */
  public boolean isStaleButUsable(Report report) {
    if (!(report instanceof Report.Hydrated h)) {
      return false;
    }
    Duration age = age(h);
    return age.compareTo(policy.freshWindow()) >= 0
        && age.compareTo(policy.freshWindow().plus(policy.staleWindow())) < 0;
  }

  /** @return the policy the cache runs with */
  public StaleWhileRevalidate policy() {
    return policy;
  }

  private static Duration age(Report.Hydrated report) {
    return Duration.between(report.generatedAt(), Instant.now());
  }
}

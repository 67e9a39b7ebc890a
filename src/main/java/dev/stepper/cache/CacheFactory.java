package dev.stepper.cache;

import dev.stepper.cache.codec.Codec;
import dev.stepper.cache.codec.CodecFactory;
import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.config.Redaction;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheConfigurationBean;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.management.MBeanRegistration;
import dev.stepper.cache.management.NearCacheStatistics;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.KeyLayout;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The one place where a cache is assembled from its configuration: its key layout and codecs, its
 * expiry, writer and loader, its events and statistics, and its read path, plain or
 * stale-while-revalidate, chosen here once. The cache and its operations use what they are given
 * and never ask which kind of cache they serve.
 */
final class CacheFactory {

  private CacheFactory() {}

  /**
   * @param manager the manager the cache belongs to, for its connection, executor and class loader
   * @param name the cache's name
   * @param configuration the cache's own copy of its configuration
   * @return the cache, not yet {@link RedisCache#open() open}
   */
  static <K, V> RedisCache<K, V> create(RedisCacheManager manager, String name,
      StepperConfiguration<K, V> configuration) {
    ClassLoader classLoader = manager.getClassLoader();
    KeyLayout layout = KeyLayout.of(manager.keyPrefix(), name);
    NearCache near = configuration.getNearCache() != null ? configuration.getNearCache()
        : manager.nearCacheForAll();
    EntryStore store = near == null ? manager.store(layout) : manager.store(layout, near);
    CodecFactory keys = configuration.getKeyCodec() != null ? configuration.getKeyCodec()
        : Codecs.defaultForKeys(configuration.getKeyType(), Codecs.jdk());
    CodecFactory values = configuration.getValueCodec() != null ? configuration.getValueCodec()
        : Codecs.jdk();
    Codec<K> keyCodec = keys.create(configuration.getKeyType(), classLoader);
    Codec<V> valueCodec = SpringNullValues.around(
        values.create(configuration.getValueType(), classLoader), classLoader);
    var codec = new EntryCodec<>(name, layout, configuration.getKeyType(),
        configuration.getValueType(), keyCodec, valueCodec, allowAdvice(manager, name));

    var expiry = new CacheExpiry(configuration.getExpiryPolicyFactory().create());
    if (expiry.policy() instanceof StaleWhileRevalidate && (!configuration.isReadThrough()
        || configuration.getCacheLoaderFactory() == null)) {
      throw new IllegalArgumentException("Cache " + name + ": stale-while-revalidate refreshes"
          + " entries through the cache's loader, and this cache reads through none. Set a"
          + " CacheLoader factory and read-through on its configuration (in the configuration"
          + " file: 'loader' and 'read-through: true' in the cache's section), or choose another"
          + " expiry policy: without a loader the cache would only keep entries for fresh +"
          + " stale.");
    }
    Loader<K, V> loader = Loader.of(configuration.getCacheLoaderFactory() == null
        ? null : configuration.getCacheLoaderFactory().create());
    Loader<K, V> readThrough = configuration.isReadThrough() ? loader : Loader.of(null);
    Writer<K, V> writer = Writer.of(configuration.isWriteThrough()
        && configuration.getCacheWriterFactory() != null
        ? configuration.getCacheWriterFactory().create() : null);
    var statistics = new CacheStatistics();
    // the events' source is the cache, made last
    var cache = new AtomicReference<RedisCache<K, V>>();
    var events = new EventDispatcher<>(cache::get, store, manager::pubSub, keyCodec, valueCodec,
        manager.executor());
    var protocol = new WriteProtocol(store, store.settings().timeout());
    var steps = new CacheSteps<>(store, codec, expiry, protocol, events,
        Revalidation.ownLifetimes(expiry.policy(), readThrough));
    var collaborators = new Collaborators<>(name, store, codec, expiry, protocol, writer,
        readThrough, statistics, events, steps);

    var background = new BackgroundTasks(manager.executor());
    var loads = new Loads<>(collaborators, loader, background);
    String managerName = Redaction.redact(manager.getURI());
    ReadPath<K, V> reads = expiry.policy() instanceof StaleWhileRevalidate policy
        ? new Revalidation<>(collaborators, policy, classLoader, manager::pubSub, managerName)
        : new Reads<>(collaborators, loads);
    var parts = new RedisCache.Parts<>(collaborators, reads, new Writes<>(collaborators),
        new Removals<>(collaborators), loads, new EntryProcessing<>(collaborators), background,
        loader,
        new MBeanRegistration(statistics, MBeanRegistration.STATISTICS, managerName, name),
        new MBeanRegistration(new CacheConfigurationBean(configuration),
            MBeanRegistration.CONFIGURATION, managerName, name),
        near == null ? List.of() : List.of(new MBeanRegistration(
            new NearCacheStatistics(store::nearCacheCounts), MBeanRegistration.NEAR_CACHE,
            managerName, name)));
    cache.set(new RedisCache<>(manager, configuration, parts));
    return cache.get();
  }

  /** Where a class an allow-list refused is allowed: the file's key, or the code's call. */
  private static UnaryOperator<String> allowAdvice(RedisCacheManager manager, String name) {
    if (manager.isFromFile()) {
      String file = Redaction.redact(manager.getURI());
      return refused -> "Allow it in " + file + ": 'allow: [" + refused + "]' (or a pattern"
          + " such as " + packagePattern(refused) + ") under caches." + name + ", or under"
          + " default for every cache";
    }
    return refused -> "Allow it with Codecs.jdk(\"" + refused + "\") as the cache's codec in its"
        + " StepperConfiguration, or with the system property stepper.cache.serialization.allow";
  }

  private static String packagePattern(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(0, dot) + ".**";
  }
}

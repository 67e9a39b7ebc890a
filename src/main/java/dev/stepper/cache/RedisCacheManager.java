package dev.stepper.cache;

import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.config.Redaction;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.config.file.ConfigurationFile;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.KeyLayout;
import dev.stepper.cache.redis.PubSub;
import dev.stepper.cache.redis.RedisConnector;
import dev.stepper.cache.redis.RedisSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caches of one Redis deployment and key prefix, as seen by one class loader of one JVM.
 *
 * <p>The set of caches is this manager's own (it is not stored in Redis); their entries are shared
 * by every manager with the same URI. All caches share one connection, opened on first use.
 *
 * <p>A URI that names a {@link ConfigurationFile} gives the Redis deployment and the caches that
 * exist from the start; caches created with a bare {@code MutableConfiguration} (as annotation
 * frameworks and Hibernate do) get the file's {@code default} section.
 */
final class RedisCacheManager implements CacheManager {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCacheManager.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final StepperCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final RedisConnector connector;
  private final ConfigurationFile file;
  private final ConcurrentMap<String, RedisCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Callers that asked to share this manager, each closing it once; guarded by this. */
  private int holders = 1;

  private RedisCacheManager(StepperCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties, ConfigurationFile file) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = new Properties();
    this.properties.putAll(properties);
    this.file = file;
    this.connector = new RedisConnector(file == null ? RedisSettings.parse(uri)
        : file.redisSettings());
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "stepper-cache-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      // loaders and listeners run here: they see the application's classes, not the creator's
      thread.setContextClassLoader(classLoader);
      return thread;
    });
    LOG.debug("Cache manager for {} (key prefix '{}')", Redaction.redact(uri),
        connector.settings().prefix());
  }

  /**
   * Opens a manager; one named by a configuration file has the file's caches at once.
   *
   * @throws javax.cache.CacheException if the file is not valid
   */
  static RedisCacheManager open(StepperCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties) {
    ConfigurationFile file = ConfigurationFile.isFile(uri)
        ? ConfigurationFile.read(uri, classLoader, properties)
        : null;
    var manager = new RedisCacheManager(provider, uri, classLoader, properties, file);
    if (file != null) {
      for (String name : file.cacheNames()) {
        try {
          manager.createCache(name, file.cache(name));
        } catch (RuntimeException e) {
          manager.close();
          throw new CacheException("Stepper Cache configuration " + Redaction.redact(uri)
              + " at 'caches." + name + "': the cache could not be created: " + e.getMessage(), e);
        }
      }
      LOG.info("Cache manager from {}: Redis {}, key prefix '{}', caches {}",
          Redaction.redact(uri), file.redisSettings().address(),
          file.redisSettings().prefix(), file.cacheNames());
    }
    return manager;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
      C configuration) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    StepperConfiguration<K, V> copy = copyOf(withFileDefaults(configuration));
    if (!copy.isStoreByValue()) {
      throw new UnsupportedOperationException("Cache " + cacheName + " asks for store-by-reference,"
          + " which a Redis-backed cache cannot offer: keys and values always travel as bytes."
          + " Leave storeByValue at true.");
    }
    synchronized (caches) {
      // again under the lock, so that a cache is never created behind a concurrent close()
      checkOpen();
      if (caches.containsKey(cacheName)) {
        throw new CacheException("Cache " + cacheName + " already exists in this cache manager;"
            + " use getCache(\"" + cacheName + "\") to get it");
      }
      RedisCache<K, V> cache = CacheFactory.create(this, cacheName, copy);
      caches.put(cacheName, cache);
      try {
        cache.open();
      } catch (RuntimeException e) {
        caches.remove(cacheName);
        throw e;
      }
      return cache;
    }
  }

  /** An independent copy of any configuration; a basic one gives its types and store-by-value. */
  private static <K, V> StepperConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return new StepperConfiguration<>(complete);
    }
    var copy = new StepperConfiguration<K, V>();
    copy.setTypes(configuration.getKeyType(), configuration.getValueType());
    copy.setStoreByValue(configuration.isStoreByValue());
    return copy;
  }

  /**
   * The file's {@code default} section in place of a configuration that says nothing: Object
   * types and JCache's defaults, as frameworks pass when they create a cache they were asked for.
   */
  @SuppressWarnings("unchecked")
  private <K, V> Configuration<K, V> withFileDefaults(Configuration<K, V> configuration) {
    boolean bare = file != null && !(configuration instanceof StepperConfiguration)
        && configuration.getKeyType() == Object.class
        && configuration.getValueType() == Object.class
        && (configuration instanceof CompleteConfiguration<K, V> complete
            ? new MutableConfiguration<>(complete).equals(new MutableConfiguration<>())
            : configuration.isStoreByValue());
    return bare ? (Configuration<K, V>) file.defaults() : configuration;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    RedisCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    Configuration<?, ?> configuration = cache.configuration();
    if (!configuration.getKeyType().equals(keyType)
        || !configuration.getValueType().equals(valueType)) {
      throw new ClassCastException("Cache " + cacheName + " holds "
          + configuration.getKeyType().getName() + " -> " + configuration.getValueType().getName()
          + ", not " + keyType.getName() + " -> " + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  /**
   * The cache of that name; with {@code create-on-first-use} in the file's {@code default} section,
   * a cache nobody declared is created with the defaults rather than not found.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    RedisCache<?, ?> cache = caches.get(cacheName);
    if (cache == null && file != null && file.createsOnFirstUse()) {
      synchronized (caches) {
        cache = caches.get(cacheName);
        if (cache == null) {
          LOG.info("Cache '{}' created on first use with the default section of {}", cacheName,
              Redaction.redact(uri));
          return (Cache<K, V>) createCache(cacheName, file.defaults());
        }
      }
    }
    return (Cache<K, V>) cache;
  }

  @Override
  public Iterable<String> getCacheNames() {
    checkOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  /**
   * Closes the cache and deletes its entries from Redis, for every JVM. A cache this manager does
   * not have open is deleted from Redis all the same, so that its name starts afresh.
   */
  @Override
  public void destroyCache(String cacheName) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    RedisCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.close();
    }
    Removals.clear(store(KeyLayout.of(keyPrefix(), cacheName)));
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    RedisCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    checkOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    RedisCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  void forget(RedisCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  /** @return whether this manager's URI names a configuration file */
  boolean isFromFile() {
    return file != null;
  }

  String keyPrefix() {
    return connector.settings().prefix();
  }

  EntryStore store(KeyLayout layout) {
    return connector.store(layout);
  }

  /** @return the manager URI's near cache for caches that set none, or {@code null} */
  NearCache nearCacheForAll() {
    return connector.settings().nearCache();
  }

  EntryStore store(KeyLayout layout, NearCache nearCache) {
    return connector.store(layout, nearCache);
  }

  PubSub pubSub() {
    return connector.pubSub();
  }

  ExecutorService executor() {
    return executor;
  }

  /**
   * Counts one more holder, who will call {@link #close()} once ({@link
   * dev.stepper.cache.config.ManagerProperties#SHARED_BY_HOLDERS}).
   *
   * @return false if this manager has closed meanwhile, so that the caller opens another
   */
  synchronized boolean hold() {
    if (closed.get()) {
      return false;
    }
    holders++;
    return true;
  }

  /** Closes the manager unless other holders still use it. */
  @Override
  public void close() {
    synchronized (this) {
      if (holders > 1) {
        holders--;
        return;
      }
    }
    shutDown();
  }

  /** Closes the manager, whoever holds it: the provider's own close. */
  void shutDown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    provider.forget(this);
    List<RedisCache<?, ?>> open;
    synchronized (caches) {
      open = new ArrayList<>(caches.values());
    }
    try {
      for (RedisCache<?, ?> cache : open) {
        cache.close();
      }
    } finally {
      executor.shutdown();
      connector.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrap.as(clazz, this, connector.clients());
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The cache manager for " + Redaction.redact(uri)
          + " is closed");
    }
  }
}

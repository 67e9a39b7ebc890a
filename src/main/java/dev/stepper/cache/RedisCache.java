package dev.stepper.cache;

import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheConfigurationBean;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.management.MBeanRegistration;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.RedisSettings;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache cache whose entries are Redis keys.
 *
 * <p>This class checks arguments and state, and owns the cache's lifecycle, listeners and MXBeans;
 * the operations live in {@link Reads}, {@link Writes}, {@link Removals}, {@link Loads} and
 * {@link EntryProcessing}, over the collaborators in {@link CacheCore}; reads go through
 * {@link Revalidation} when the expiry policy is {@link StaleWhileRevalidate}. Thread-safe;
 * several JVMs may share the entries.
 */
final class RedisCache<K, V> implements Cache<K, V> {

  private final RedisCacheManager manager;
  private final StepperConfiguration<K, V> configuration;
  private final CacheCore<K, V> core;
  private final Loader<K, V> loader;
  private final BackgroundTasks background;
  private final Reads<K, V> reads;
  private final Writes<K, V> writes;
  private final Removals<K, V> removals;
  private final Loads<K, V> loads;
  private final EntryProcessing<K, V> processing;
  /** Stale-while-revalidate reads, or {@code null} for a cache without. */
  private final Revalidation<K, V> revalidation;
  private final MBeanRegistration statisticsBean;
  private final MBeanRegistration configurationBean;
  private final MBeanRegistration revalidationBean;
  private final AtomicBoolean closed = new AtomicBoolean();

  RedisCache(RedisCacheManager manager, String name, StepperConfiguration<K, V> configuration,
      EntryStore store, EntryCodec<K, V> codec) {
    this.manager = manager;
    this.configuration = configuration;
    this.loader = configuration.getCacheLoaderFactory() == null
        ? null : new Loader<>(configuration.getCacheLoaderFactory().create());
    Writer<K, V> writer = configuration.isWriteThrough()
        && configuration.getCacheWriterFactory() != null
        ? Writer.of(configuration.getCacheWriterFactory().create()) : Writer.of(null);
    var statistics = new CacheStatistics();
    var events = new EventDispatcher<>(this, store, manager::pubSub, codec.keyCodec(),
        codec.valueCodec(), manager.executor());
    this.core = new CacheCore<>(name, store, codec,
        new CacheExpiry(configuration.getExpiryPolicyFactory().create()), writer,
        configuration.isReadThrough() ? loader : null, statistics, events);
    this.background = new BackgroundTasks(manager.executor());
    this.loads = new Loads<>(core, loader, background);
    this.reads = new Reads<>(core, loads);
    this.writes = new Writes<>(core);
    this.removals = new Removals<>(core);
    this.processing = new EntryProcessing<>(core);
    this.revalidation = core.expiry.policy() instanceof StaleWhileRevalidate policy
        ? new Revalidation<>(core, policy, manager.getClassLoader()) : null;
    String managerName = RedisSettings.redact(manager.getURI());
    this.statisticsBean = new MBeanRegistration(statistics, MBeanRegistration.STATISTICS,
        managerName, name);
    this.configurationBean = new MBeanRegistration(new CacheConfigurationBean(configuration),
        MBeanRegistration.CONFIGURATION, managerName, name);
    this.revalidationBean = revalidation == null ? null : new MBeanRegistration(
        revalidation.counters, MBeanRegistration.REVALIDATION, managerName, name);
  }

  /** Registers the configured listeners and MXBeans; undone by {@link #close()} on failure. */
  void open() {
    try {
      for (CacheEntryListenerConfiguration<K, V> listener
          : configuration.getCacheEntryListenerConfigurations()) {
        core.events.register(listener);
      }
      setStatisticsEnabled(configuration.isStatisticsEnabled());
      setManagementEnabled(configuration.isManagementEnabled());
      if (revalidationBean != null) {
        revalidationBean.register();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public V get(K key) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    return revalidation == null ? reads.get(key) : revalidation.get(key);
  }

  /** Keys of a stale-while-revalidate cache are read one by one, each with its own flow. */
  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    checkOpen();
    List<K> list = requireKeys(keys);
    if (revalidation == null) {
      return reads.getAll(list);
    }
    Map<K, V> found = new LinkedHashMap<>();
    for (K key : list) {
      V value = revalidation.get(key);
      if (value != null) {
        found.put(key, value);
      }
    }
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    checkOpen();
    return reads.containsKey(Objects.requireNonNull(key, "key"));
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener listener) {
    checkOpen();
    Objects.requireNonNull(keys, "keys");
    loads.loadAll(loader == null ? List.of() : requireKeys(keys), replaceExistingValues, listener);
  }

  @Override
  public void put(K key, V value) {
    checkOpen();
    writes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"), false);
  }

  @Override
  public V getAndPut(K key, V value) {
    checkOpen();
    return writes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"),
        true);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    checkOpen();
    Objects.requireNonNull(map, "map");
    List<K> keys = new ArrayList<>(map.size());
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      keys.add(Objects.requireNonNull(entry.getKey(), "a key of the map"));
      Objects.requireNonNull(entry.getValue(), "a value of the map");
    }
    writes.putAll(map, keys);
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    checkOpen();
    return writes.putIfAbsent(Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(value, "value"));
  }

  @Override
  public boolean remove(K key) {
    checkOpen();
    return removals.remove(Objects.requireNonNull(key, "key"));
  }

  @Override
  public boolean remove(K key, V oldValue) {
    checkOpen();
    return removals.remove(Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(oldValue, "oldValue"));
  }

  @Override
  public V getAndRemove(K key) {
    checkOpen();
    return removals.getAndRemove(Objects.requireNonNull(key, "key"));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    checkOpen();
    return writes.replace(Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(oldValue, "oldValue"), Objects.requireNonNull(newValue, "newValue"));
  }

  @Override
  public boolean replace(K key, V value) {
    checkOpen();
    return writes.replace(Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(value, "value"), false).applied();
  }

  @Override
  public V getAndReplace(K key, V value) {
    checkOpen();
    return writes.replace(Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(value, "value"), true).previous();
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    checkOpen();
    removals.removeAll(requireKeys(keys));
  }

  @Override
  public void removeAll() {
    checkOpen();
    removals.removeAll();
  }

  @Override
  public void clear() {
    checkOpen();
    Removals.clear(core.store);
  }

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(processor, "entryProcessor");
    return processing.invoke(key, processor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    checkOpen();
    List<K> keyList = requireKeys(keys);
    Objects.requireNonNull(processor, "entryProcessor");
    return processing.invokeAll(keyList, processor, arguments);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    checkOpen();
    return new CacheIterator<>(core, removals);
  }

  @Override
  public String getName() {
    return core.name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  /** @return the live configuration */
  StepperConfiguration<K, V> configuration() {
    return configuration;
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("The configuration of cache " + core.name + " is a "
        + configuration.getClass().getName() + ", not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    try {
      core.events.register(listenerConfiguration);
    } catch (RuntimeException e) {
      configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
      throw e;
    }
  }

  @Override
  public void deregisterCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
    core.events.deregister(listenerConfiguration);
  }

  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    core.statistics.setEnabled(enabled);
    if (enabled) {
      statisticsBean.register();
    } else {
      statisticsBean.unregister();
    }
  }

  void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      configurationBean.register();
    } else {
      configurationBean.unregister();
    }
  }

  /**
   * Closes the cache in this JVM; its entries stay in Redis. Background loads may finish first
   * (within the timeout), then listeners, loader, writer and expiry policy are closed if they are
   * {@code Closeable}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      manager.forget(this);
      statisticsBean.unregister();
      configurationBean.unregister();
      if (revalidation != null) {
        revalidationBean.unregister();
        revalidation.close();
      }
      background.awaitQuiet(core.store.settings().timeout().toMillis());
    } finally {
      core.events.close();
      Resources.closeAll(loader == null ? null : loader.target(), core.writer.target(),
          core.expiry.policy());
    }
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrap.as(clazz, this);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Cache " + core.name + " is closed");
    }
  }

  private List<K> requireKeys(Set<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    List<K> list = new ArrayList<>(keys.size());
    for (K key : keys) {
      list.add(Objects.requireNonNull(key, "a key of the set"));
    }
    return list;
  }

  @Override
  public String toString() {
    return "RedisCache{" + core.name + " at " + core.store.layout() + "}";
  }
}

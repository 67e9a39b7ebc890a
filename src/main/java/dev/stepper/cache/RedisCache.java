package dev.stepper.cache;

import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.management.CacheStatistics;
import dev.stepper.cache.management.MBeanRegistration;
import dev.stepper.cache.redis.EntryStore;
import java.util.ArrayList;
import java.util.Iterator;
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
 * the operations live in its {@link ReadPath} ({@link Reads}, or {@link Revalidation} when the
 * expiry policy is stale-while-revalidate), {@link Writes}, {@link Removals}, {@link Loads} and
 * {@link EntryProcessing}, over the {@link Collaborators} they share, all of them made by
 * {@link CacheFactory}. Thread-safe; several JVMs may share the entries.
 */
final class RedisCache<K, V> implements Cache<K, V> {

  /**
   * What {@link CacheFactory} made the cache of.
   *
   * @param loader the configured loader, for {@code loadAll} and closing, or {@code null}
   * @param statisticsBean registered while statistics are enabled
   * @param configurationBean registered while management is enabled
   */
  record Parts<K, V>(Collaborators<K, V> collaborators, ReadPath<K, V> reads, Writes<K, V> writes,
      Removals<K, V> removals, Loads<K, V> loads, EntryProcessing<K, V> processing,
      BackgroundTasks background, Loader<K, V> loader, MBeanRegistration statisticsBean,
      MBeanRegistration configurationBean, List<MBeanRegistration> ownBeans) {}

  private final RedisCacheManager manager;
  private final StepperConfiguration<K, V> configuration;
  private final Collaborators<K, V> collaborators;
  private final String name;
  private final EntryStore store;
  private final CacheExpiry expiry;
  private final Writer<K, V> writer;
  private final CacheStatistics statistics;
  private final EventDispatcher<K, V> events;
  private final Loader<K, V> loader;
  private final BackgroundTasks background;
  private final ReadPath<K, V> reads;
  private final Writes<K, V> writes;
  private final Removals<K, V> removals;
  private final Loads<K, V> loads;
  private final EntryProcessing<K, V> processing;
  private final MBeanRegistration statisticsBean;
  private final MBeanRegistration configurationBean;
  /** The provider's own MXBeans of this cache, registered while it is open: the near cache's. */
  private final List<MBeanRegistration> ownBeans;
  private final AtomicBoolean closed = new AtomicBoolean();

  RedisCache(RedisCacheManager manager, StepperConfiguration<K, V> configuration,
      Parts<K, V> parts) {
    this.manager = manager;
    this.configuration = configuration;
    this.collaborators = parts.collaborators();
    this.name = collaborators.name();
    this.store = collaborators.store();
    this.expiry = collaborators.expiry();
    this.writer = collaborators.writer();
    this.statistics = collaborators.statistics();
    this.events = collaborators.events();
    this.loader = parts.loader();
    this.background = parts.background();
    this.reads = parts.reads();
    this.writes = parts.writes();
    this.removals = parts.removals();
    this.loads = parts.loads();
    this.processing = parts.processing();
    this.statisticsBean = parts.statisticsBean();
    this.configurationBean = parts.configurationBean();
    this.ownBeans = parts.ownBeans();
  }

  /** Registers the configured listeners and MXBeans; undone by {@link #close()} on failure. */
  void open() {
    try {
      for (CacheEntryListenerConfiguration<K, V> listener
          : configuration.getCacheEntryListenerConfigurations()) {
        events.register(listener);
      }
      setStatisticsEnabled(configuration.isStatisticsEnabled());
      setManagementEnabled(configuration.isManagementEnabled());
      ownBeans.forEach(MBeanRegistration::register);
      reads.open();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public V get(K key) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    return reads.get(key);
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    checkOpen();
    return reads.getAll(requireKeys(keys));
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
    loads.loadAll(loader.isEnabled() ? requireKeys(keys) : List.of(), replaceExistingValues,
        listener);
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
    Removals.clear(store);
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
    return new CacheIterator<>(collaborators, removals);
  }

  @Override
  public String getName() {
    return name;
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
    throw new IllegalArgumentException("The configuration of cache " + name + " is a "
        + configuration.getClass().getName() + ", not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    checkOpen();
    Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    try {
      events.register(listenerConfiguration);
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
    events.deregister(listenerConfiguration);
  }

  void setStatisticsEnabled(boolean enabled) {
    configuration.setStatisticsEnabled(enabled);
    statistics.setEnabled(enabled);
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
      ownBeans.forEach(MBeanRegistration::unregister);
      reads.close();
      background.awaitQuiet(store.settings().timeout().toMillis());
    } finally {
      events.close();
      store.close();
      Resources.closeAll(loader.target(), writer.target(),
          expiry.policy());
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
      throw new IllegalStateException("Cache " + name + " is closed");
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
    return "RedisCache{" + name + " at " + store.layout() + "}";
  }
}

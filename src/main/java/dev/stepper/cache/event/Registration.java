package dev.stepper.cache.event;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One registered listener with its filter, delivering synchronously or on its own serial queue. */
final class Registration<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final Executor asyncExecutor;

  Registration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
    this.configuration = configuration;
    this.listener = configuration.getCacheEntryListenerFactory().create();
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
    this.asyncExecutor = configuration.isSynchronous() ? null : new SerialExecutor(executor);
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  boolean requiresOldValue() {
    return configuration.isOldValueRequired();
  }

  boolean handles(EventType type) {
    return switch (type) {
      case CREATED -> listener instanceof CacheEntryCreatedListener;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener;
      case REMOVED -> listener instanceof CacheEntryRemovedListener;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener;
    };
  }

  /**
   * Delivers events of one type that passed the filter. A synchronous listener's failure reaches
   * the caller: as is if it is a {@link CacheEntryListenerException} or an {@link Error}, wrapped
   * otherwise; an asynchronous listener's failure is logged.
   */
  void deliver(EventType type, List<EntryEvent<K, V>> events) {
    List<CacheEntryEvent<? extends K, ? extends V>> accepted = new ArrayList<>(events.size());
    for (EntryEvent<K, V> event : events) {
      if (filter == null || filter.evaluate(event)) {
        accepted.add(event);
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    if (asyncExecutor == null) {
      call(type, accepted);
    } else {
      asyncExecutor.execute(() -> {
        try {
          call(type, accepted);
        } catch (RuntimeException | Error e) {
          LOG.warn("Asynchronous cache entry listener {} failed", listener, e);
        }
      });
    }
  }

  @SuppressWarnings("unchecked")
  private void call(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> events) {
    // The listener declares ? super K, so the events' types fit it.
    var fitting = (Iterable<CacheEntryEvent<? extends K, ? extends V>>) (Iterable<?>) events;
    try {
      switch (type) {
        case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(fitting);
        case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(fitting);
        case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(fitting);
        case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(fitting);
      }
    } catch (CacheEntryListenerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheEntryListenerException("Cache entry listener " + listener + " failed", e);
    }
  }

  /** Closes the listener and filter if they are {@link Closeable}. */
  void close() {
    closeQuietly(listener);
    closeQuietly(filter);
  }

  private static void closeQuietly(Object resource) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", resource, e);
      }
    }
  }
}

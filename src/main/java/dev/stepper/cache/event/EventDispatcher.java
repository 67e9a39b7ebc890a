package dev.stepper.cache.event;

import dev.stepper.cache.codec.Codec;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.PubSub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one cache in this JVM, and the way changes reach them.
 *
 * <p>Changes made through this cache are delivered by the calling thread before the cache call
 * returns (synchronous listeners) or queued per listener (asynchronous ones). Changes made by other
 * JVMs arrive over Redis pub/sub and are delivered on the manager's event thread. The channel is
 * subscribed to only while some listener is registered, and Redis publishes only while some JVM
 * subscribes: a cache nobody listens to costs no event traffic. A JVM that listens receives its
 * own changes back too, and skips them by their origin.
 */
public final class EventDispatcher<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final Supplier<? extends Cache<K, V>> source;
  private final EntryStore store;
  private final Supplier<PubSub> pubSub;
  private final Codec<K> keyCodec;
  private final Codec<V> valueCodec;
  private final Executor asyncExecutor;
  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final String origin;
  private volatile boolean oldValuesRequired;
  private boolean subscribed;

  /**
   * @param source the cache, as the events' source: asked for when an event is made, since the
   *     cache is made after its dispatcher
   * @param store the cache's entries
   * @param pubSub the manager's pub/sub connection, opened on first need
   * @param keyCodec decodes keys of remote events
   * @param valueCodec decodes values of remote events
   * @param asyncExecutor runs asynchronous listeners
   */
  public EventDispatcher(Supplier<? extends Cache<K, V>> source, EntryStore store,
      Supplier<PubSub> pubSub, Codec<K> keyCodec, Codec<V> valueCodec, Executor asyncExecutor) {
    this.source = source;
    this.store = store;
    this.pubSub = pubSub;
    this.keyCodec = keyCodec;
    this.valueCodec = valueCodec;
    this.asyncExecutor = asyncExecutor;
    this.origin = store.origin();
  }

  /**
   * @param configuration the listener to add
   * @throws IllegalArgumentException if an equal configuration is already registered
   */
  public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> existing : registrations) {
      if (existing.configuration().equals(configuration)) {
        throw new IllegalArgumentException("This cache entry listener configuration is already"
            + " registered with cache " + source.get().getName());
      }
    }
    if (!subscribed) {
      // First, so that a failure leaves nothing registered.
      pubSub.get().subscribe(store.layout(), this::onMessage);
      subscribed = true;
    }
    registrations.add(new Registration<>(configuration, asyncExecutor));
    changed();
  }

  /**
   * @param configuration the listener to remove; nothing happens if it is not registered
   */
  public synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration().equals(configuration)) {
        registrations.remove(registration);
        registration.close();
      }
    }
    changed();
  }

  private void changed() {
    oldValuesRequired = registrations.stream().anyMatch(Registration::requiresOldValue);
    if (registrations.isEmpty() && subscribed) {
      unsubscribe();
    }
  }

  /**
   * Stops receiving this cache's events. If Redis cannot be told now, the pub/sub connection drops
   * the subscription once it is back (see {@code PubSub}); nothing here depends on it.
   */
  private void unsubscribe() {
    subscribed = false;
    try {
      pubSub.get().unsubscribe(store.layout());
    } catch (RuntimeException e) {
      LOG.info("Cache {}: unsubscribing from its events failed ({}); the subscription is dropped"
          + " when Redis is back", source.get().getName(), e.getMessage());
    }
  }

  /**
   * @return whether a listener is registered here, so that writes must learn whether they
   *     created or updated
   */
  public boolean hasListeners() {
    return !registrations.isEmpty();
  }

  /** @return whether some listener needs old values, so that writes must fetch them */
  public boolean oldValuesRequired() {
    return oldValuesRequired;
  }

  /** @return a batch collecting the events of one cache call */
  public EventBatch<K, V> batch() {
    return registrations.isEmpty() ? EventBatch.none() : new EventBatch<>(this, source.get());
  }

  void deliver(List<EntryEvent<K, V>> events) {
    for (Registration<K, V> registration : registrations) {
      int start = 0;
      while (start < events.size()) {
        EventType type = events.get(start).getEventType();
        int end = start;
        while (end < events.size() && events.get(end).getEventType() == type) {
          end++;
        }
        if (registration.handles(type)) {
          registration.deliver(type, events.subList(start, end));
        }
        start = end;
      }
    }
  }

  private void onMessage(byte[] message) {
    EventMessage change = EventMessage.parse(message, store.layout());
    if (change.origin().equals(origin)) {
      return;
    }
    K key = keyCodec.decode(change.key());
    V value = change.value() == null ? null : valueCodec.decode(change.value());
    V oldValue = change.oldValue() == null ? null : valueCodec.decode(change.oldValue());
    var batch = new EventBatch<>(this, source.get());
    // EventMessage.parse accepts only these four types
    switch (change.type()) {
      case 'c' -> batch.created(key, value);
      case 'u' -> batch.updated(key, value, oldValue);
      case 'r' -> batch.removed(key, oldValue);
      default -> batch.expired(key, oldValue);
    }
    batch.fire();
  }

  /** Unsubscribes and closes every listener and filter that is closeable. */
  @Override
  public synchronized void close() {
    List<Registration<K, V>> all = new ArrayList<>(registrations);
    registrations.clear();
    all.forEach(Registration::close);
    if (subscribed) {
      unsubscribe();
    }
  }
}

package dev.stepper.cache.event;

import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.event.EventType;

/**
 * The events of one cache call, delivered together by {@link #fire()} once the call's writes are
 * done. A batch of a cache without listeners ignores everything.
 */
public class EventBatch<K, V> {

  private static final EventBatch<?, ?> NONE = new EventBatch<>(null, null) {
    @Override
    void add(EventType type, Object key, Object value, Object oldValue) {}

    @Override
    public void fire() {}
  };

  private final EventDispatcher<K, V> dispatcher;
  private final Cache<K, V> source;
  private final List<EntryEvent<K, V>> events = new ArrayList<>(2);

  EventBatch(EventDispatcher<K, V> dispatcher, Cache<K, V> source) {
    this.dispatcher = dispatcher;
    this.source = source;
  }

  @SuppressWarnings("unchecked")
  static <K, V> EventBatch<K, V> none() {
    return (EventBatch<K, V>) NONE;
  }

  public void created(K key, V value) {
    add(EventType.CREATED, key, value, null);
  }

  /** @param oldValue the value before, or {@code null} if not fetched */
  public void updated(K key, V value, V oldValue) {
    add(EventType.UPDATED, key, value, oldValue);
  }

  /** @param oldValue the value removed, or {@code null} if not fetched */
  public void removed(K key, V oldValue) {
    add(EventType.REMOVED, key, oldValue, oldValue);
  }

  /** @param oldValue the value that expired, or {@code null} if not fetched */
  public void expired(K key, V oldValue) {
    add(EventType.EXPIRED, key, oldValue, oldValue);
  }

  @SuppressWarnings("unchecked")
  void add(EventType type, Object key, Object value, Object oldValue) {
    events.add(new EntryEvent<>(source, type, (K) key, (V) value, (V) oldValue));
  }

  /** Delivers the collected events, in order. */
  public void fire() {
    if (!events.isEmpty()) {
      dispatcher.deliver(events);
      events.clear();
    }
  }
}

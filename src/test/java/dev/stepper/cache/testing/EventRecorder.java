package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** A synchronous listener needing old values that queues every event it is given. */
public final class EventRecorder implements CacheEntryCreatedListener<String, String>,
    CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
    Serializable {

  /** How long a test waits for something that travels over pub/sub before it fails. */
  public static final long AWAIT_MILLIS = 5_000;

  private static final long serialVersionUID = 1L;

  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private MutableCacheEntryListenerConfiguration<String, String> configuration;

  /** What a listener was told. */
  public record Seen(EventType type, String key, String value, String oldValue,
      boolean oldValueAvailable) implements Serializable {

    static Seen of(CacheEntryEvent<? extends String, ? extends String> event) {
      return new Seen(event.getEventType(), event.getKey(), event.getValue(),
          event.getOldValue(), event.isOldValueAvailable());
    }
  }

  public static EventRecorder registerOn(Cache<String, String> cache) {
    var recorder = new EventRecorder();
    recorder.configuration = new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(recorder), null, true, true);
    cache.registerCacheEntryListener(recorder.configuration);
    return recorder;
  }

  /** @return what registered this listener */
  public MutableCacheEntryListenerConfiguration<String, String> configuration() {
    return configuration;
  }

  /** @return the next event, waiting for it a bounded time, or {@code null} */
  public Seen next() throws InterruptedException {
    return seen.poll(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes events until one for each of the keys has arrived (in any order: on a cluster, events
   * of different keys come from different shards), then whatever else is queued.
   *
   * @return the keys of the events taken, sorted, one per event
   */
  public List<String> keysUntil(String... lastKeys) throws InterruptedException {
    List<String> keys = new ArrayList<>();
    Set<String> awaited = new HashSet<>(Arrays.asList(lastKeys));
    while (!awaited.isEmpty()) {
      Seen next = next();
      assertNotNull(next, "no event for " + awaited.size() + " keys such as "
          + awaited.stream().limit(5).toList() + " within " + AWAIT_MILLIS + " ms; got "
          + keys.size() + " events");
      keys.add(next.key());
      awaited.remove(next.key());
    }
    List<Seen> rest = new ArrayList<>();
    seen.drainTo(rest);
    rest.forEach(event -> keys.add(event.key()));
    return keys.stream().sorted().toList();
  }

  /** @return whether an event for the key is queued right now */
  public boolean holds(String key) {
    return seen.stream().anyMatch(event -> event.key().equals(key));
  }

  /** @return how many events are queued right now */
  public int received() {
    return seen.size();
  }

  private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
    List<Seen> batch = new ArrayList<>();
    events.forEach(event -> batch.add(Seen.of(event)));
    seen.addAll(batch);
  }

  @Override
  public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
    record(events);
  }

  @Override
  public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
    record(events);
  }

  @Override
  public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
    record(events);
  }
}

package dev.stepper.cache;

import dev.stepper.cache.WriteProtocol.Sent;
import dev.stepper.cache.event.EventBatch;
import dev.stepper.cache.event.EventDispatcher;
import dev.stepper.cache.redis.EntryStore;
import dev.stepper.cache.redis.Condition;
import dev.stepper.cache.redis.Write;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.cache.integration.CompletionListener;

/**
 * Values from the cache loader: read-through for reads that missed, and {@code loadAll} in the
 * background. A load is stored but is neither a put nor a write-through.
 */
final class Loads<K, V> {

  private final EntryStore store;
  private final EntryCodec<K, V> codec;
  private final CacheExpiry expiry;
  private final WriteProtocol protocol;
  private final Loader<K, V> readThrough;
  private final EventDispatcher<K, V> events;
  private final CacheSteps<K, V> steps;
  private final Loader<K, V> loader;
  private final BackgroundTasks background;

  /**
   * @param loader the configured loader, used by {@code loadAll} even without read-through; may be
   *     the disabled one
   */
  Loads(Collaborators<K, V> parts, Loader<K, V> loader, BackgroundTasks background) {
    this.store = parts.store();
    this.codec = parts.codec();
    this.expiry = parts.expiry();
    this.protocol = parts.protocol();
    this.readThrough = parts.readThrough();
    this.events = parts.events();
    this.steps = parts.steps();
    this.loader = loader;
    this.background = background;
  }

  /**
   * Loads keys a read missed and stores each value where nothing was stored meanwhile.
   *
   * @return the loaded values of the requested keys, without nulls
   */
  Map<K, V> readThrough(List<K> keys, EventBatch<K, V> batch) {
    Map<K, V> loaded;
    if (keys.size() == 1) {
      // load, not loadAll, for one key: what a loader expects from a get
      V value = readThrough.load(keys.get(0));
      loaded = value == null ? Map.of() : Map.of(keys.get(0), value);
    } else {
      loaded = readThrough.loadAll(keys);
    }
    loaded = requested(keys, loaded);
    store(loaded, false, batch);
    return loaded;
  }

  private Map<K, V> requested(List<K> keys, Map<K, V> loaded) {
    // Loaders may return unmodifiable maps, nulls, or keys nobody asked for.
    Map<K, V> result = new LinkedHashMap<>();
    for (K key : keys) {
      V value = loaded.get(key);
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }

  void loadAll(List<K> keys, boolean replaceExistingValues, CompletionListener listener) {
    if (!loader.isEnabled()) {
      if (listener != null) {
        listener.onCompletion();
      }
      return;
    }
    background.submit(() -> {
      try {
        List<K> toLoad = replaceExistingValues ? keys : absent(keys);
        EventBatch<K, V> batch = events.batch();
        if (!toLoad.isEmpty()) {
          store(requested(toLoad, loader.loadAll(toLoad)), replaceExistingValues, batch);
        }
        batch.fire();
        if (listener != null) {
          listener.onCompletion();
        }
      } catch (Exception e) {
        if (listener != null) {
          listener.onException(e);
        }
      }
    });
  }

  private List<K> absent(List<K> keys) {
    List<Boolean> present = store.containsAll(steps.encodeKeys(keys));
    List<K> absent = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!present.get(i)) {
        absent.add(keys.get(i));
      }
    }
    return absent;
  }

  private void store(Map<K, V> loaded, boolean replaceExisting, EventBatch<K, V> batch) {
    List<K> keys = new ArrayList<>(loaded.keySet());
    List<byte[]> encodedKeys = steps.encodeKeys(keys);
    var writes = new ArrayList<Write>(keys.size());
    for (K key : keys) {
      Write write = steps.set(loaded.get(key))
          .returningPrevious(events.oldValuesRequired());
      writes.add(replaceExisting ? write : write.when(Condition.ABSENT));
    }
    List<Sent> results = protocol.applyAll(encodedKeys, writes, expiry.decision());
    for (int i = 0; i < keys.size(); i++) {
      K key = keys.get(i);
      steps.announceSet(key, loaded.get(key),
          codec.decodeReplaced(encodedKeys.get(i), results.get(i).previous()), results.get(i),
          batch);
    }
  }
}

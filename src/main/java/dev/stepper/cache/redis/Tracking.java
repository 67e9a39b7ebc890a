package dev.stepper.cache.redis;

import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-assisted client-side caching for the near caches of one manager: {@code CLIENT TRACKING
 * ON BCAST PREFIX <key head>} for each, on the manager's own command connection (RESP3), so that a
 * write by any client of one of those keys, their expiry or eviction, and a flush arrive as
 * invalidations.
 *
 * <p>On the command connection rather than one of their own, because Redis writes a connection's
 * invalidations and replies in the order it ran the commands: a read that ran before a write has
 * its reply handled before that write's invalidation, and a read that ran after it, after. A
 * reader that saw a newer value therefore never finds an older one kept behind it.
 *
 * <p>Tracking lives and dies with the connection: when it drops (or a Sentinel names another
 * master) every near cache is suspended, and once the connection is back, tracking is asked for
 * again and each near cache resumes when Redis confirms it.
 */
final class Tracking {

  private static final Logger LOG = LoggerFactory.getLogger(Tracking.class);
  private static final long RETRY_MILLIS = 100;

  private final ClientResources resources;
  private final String address;
  private final Map<KeyLayout, NearEntries> caches = new ConcurrentHashMap<>();
  private final PushListener listener = this::pushed;
  private StatefulRedisConnection<byte[], byte[]> connection;

  Tracking(ClientResources resources, String address) {
    this.resources = resources;
    this.address = address;
  }

  /** A near cache to track; it serves once Redis confirms, at once if the connection is up. */
  void add(KeyLayout layout, NearEntries entries) {
    caches.put(layout, entries);
    StatefulRedisConnection<byte[], byte[]> open;
    synchronized (this) {
      open = connection;
    }
    if (open != null) {
      enable(open, List.of(layout));
    }
  }

  /** A near cache closed: its copies go; its prefix stays tracked until the connection drops. */
  void remove(KeyLayout layout) {
    NearEntries entries = caches.remove(layout);
    if (entries != null) {
      entries.suspend();
    }
  }

  /** The command connection is (again) up: track every near cache on it. */
  void attach(StatefulRedisConnection<byte[], byte[]> opened) {
    synchronized (this) {
      if (opened != connection) {
        opened.addListener(listener);
        connection = opened;
      }
    }
    enable(opened, caches.keySet());
  }

  /** A connection of the manager's client came (back) up: if it is the tracked one, track again. */
  void reconnected(Object reconnected) {
    StatefulRedisConnection<byte[], byte[]> current;
    synchronized (this) {
      current = connection;
    }
    if (current != null && reconnected == current) {
      enable(current, caches.keySet());
    }
  }

  /** The command connection dropped or was replaced: nothing it told us can be trusted now. */
  void detached() {
    caches.values().forEach(NearEntries::suspend);
  }

  private void enable(StatefulRedisConnection<byte[], byte[]> on, Collection<KeyLayout> layouts) {
    List<KeyLayout> which = List.copyOf(layouts);
    if (which.isEmpty()) {
      return;
    }
    String[] prefixes = which.stream()
        .map(layout -> new String(layout.entryKey(new byte[0]), StandardCharsets.ISO_8859_1))
        .toArray(String[]::new);
    on.async().clientTracking(TrackingArgs.Builder.enabled().bcast()
        .prefixes(StandardCharsets.ISO_8859_1, prefixes)).whenComplete((ok, failure) -> {
          String reason = failure == null ? null : RedisFailures.describe(failure);
          // "overlaps": already tracked on this connection, as when a reconnect raced an added cache
          if (failure == null || reason.contains("overlaps")) {
            which.stream().map(caches::get).filter(Objects::nonNull)
                .forEach(NearEntries::resume);
            return;
          }
          LOG.warn("Near caches {} serve from Redis alone: CLIENT TRACKING at {} failed ({});"
              + " tried again in {} ms while the connection is open",
              which.stream().map(KeyLayout::cacheName).toList(), address, reason, RETRY_MILLIS);
          if (on.isOpen()) {
            resources.eventExecutorGroup().schedule(() -> retry(on, which), RETRY_MILLIS,
                TimeUnit.MILLISECONDS);
          }
        });
  }

  private void retry(StatefulRedisConnection<byte[], byte[]> on, List<KeyLayout> which) {
    synchronized (this) {
      if (on != connection || !on.isOpen()) {
        return;
      }
    }
    enable(on, which.stream().filter(caches::containsKey).toList());
  }

  private void pushed(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(Tracking::bytes);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (!(keys instanceof List<?> redisKeys)) {
      // a flush: Redis names no keys
      caches.values().forEach(NearEntries::dropAll);
      return;
    }
    for (Map.Entry<KeyLayout, NearEntries> cache : caches.entrySet()) {
      KeyLayout layout = cache.getKey();
      var encodedKeys = new ArrayList<byte[]>();
      for (Object key : redisKeys) {
        if (key instanceof byte[] redisKey && layout.owns(redisKey)) {
          encodedKeys.add(layout.encodedKey(redisKey));
        }
      }
      if (!encodedKeys.isEmpty()) {
        cache.getValue().invalidated(encodedKeys);
      }
    }
  }

  private static Object bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}

package dev.stepper.cache.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-assisted client-side caching for the near caches of one manager: {@code CLIENT TRACKING
 * ON} (the default mode, RESP3) on the manager's own connection to each master, so that a write by
 * any client of a key this JVM read, its expiry or eviction, and a flush arrive as invalidations;
 * those of keys no near cache holds are ignored.
 *
 * <p>On the connections that carry the reads, and in the default mode, because then Redis writes a
 * write's invalidation to this connection as the write runs, before the reply of any read that runs
 * after it: a reader that saw a newer value never finds an older one kept behind it. Neither a
 * connection of its own (no order between two connections) nor {@code BCAST} (Redis sends those
 * invalidations in a batch before it sleeps, after replies of reads that ran later) keeps that
 * order; each failed the never-go-back test. The price: Redis remembers every key this connection
 * reads while a near cache is open (bounded by {@code tracking-table-max-keys}), and tells this JVM
 * when one changes.
 *
 * <p>Near caches serve only while every master tracks them. Whenever that may have stopped being
 * so (a connection dropped, a Sentinel named another master, the cluster's masters changed, a
 * near cache was added), every near cache is suspended, tracking is asked for again on every
 * current master, and they resume once all have confirmed, unless something happened meanwhile.
 * And they serve only for a lease that each answered heartbeat renews, since a connection can also
 * go silent without dropping.
 */
final class Tracking implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Tracking.class);
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long LONGEST_RETRY_MILLIS = 5_000;
  /** How often every tracking connection is asked to confirm again. */
  private static final long HEARTBEAT_MILLIS = 1_000;
  /**
   * How long copies are served after the last confirmation was asked for. Its answer comes after
   * every invalidation Redis queued before it ran, so all writes that returned before it was sent
   * have been heard of; a connection that goes silent without dropping (a partition neither end
   * notices, which TCP may take hours to report) stops the serving within this time. The heartbeat
   * is {@code CLIENT TRACKING ON} again (the same mode, so Redis changes nothing), not a
   * {@code PING}: an ACL user then needs no permission beyond the tracking itself.
   */
  private static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final Supplier<List<Connection.Server>> masters;
  private final String address;
  private final Duration timeout;
  private final Map<KeyLayout, NearEntries> caches = new ConcurrentHashMap<>();
  private final Set<Object> listenedTo = ConcurrentHashMap.newKeySet();
  private final PushListener listener = this::pushed;
  /** Moves on with every event that may end tracking; a confirmation of an older one is void. */
  private final AtomicLong epoch = new AtomicLong();
  private final ScheduledExecutorService worker;
  /** Until tracking next succeeds: how long to wait before asking again; 0 after a success. */
  private long retryMillis;
  /** The connections of the current epoch's tracking, which the heartbeats ask. */
  private volatile List<StatefulRedisConnection<byte[], byte[]>> tracked = List.of();
  private boolean beating;

  /**
   * @param masters the manager's masters, each with its connection (connecting if need be)
   * @param address the deployment, for messages
   * @param timeout how long a master may take to confirm
   */
  Tracking(Supplier<List<Connection.Server>> masters, String address, Duration timeout) {
    this.masters = masters;
    this.address = address;
    this.timeout = timeout;
    this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "stepper-cache-tracking-" + address);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A near cache to track; it serves once every master confirms. */
  void add(KeyLayout layout, NearEntries entries) {
    caches.put(layout, entries);
    retrack();
    startHeartbeats();
  }

  private synchronized void startHeartbeats() {
    if (beating) {
      return;
    }
    beating = true;
    try {
      worker.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // the manager is closing
    }
  }

  private void heartbeat() {
    long mine = epoch.get();
    List<StatefulRedisConnection<byte[], byte[]>> connections = tracked;
    if (connections.isEmpty() || caches.isEmpty()) {
      return;
    }
    long sentAt = System.nanoTime();
    CompletableFuture<Void> confirmed;
    try {
      confirmed = confirm(connections);
    } catch (RuntimeException closedMeanwhile) {
      // its drop suspends the near caches, or has already
      return;
    }
    confirmed.whenComplete((done, failure) -> {
      if (failure == null) {
        extend(mine, sentAt + LEASE_NANOS);
      }
    });
  }

  private synchronized void extend(long mine, long until) {
    if (epoch.get() == mine) {
      caches.values().forEach(entries -> entries.extend(until));
    }
  }

  /**
   * Turns tracking on (or keeps it on) on every connection.
   *
   * @return done when all confirmed, failed if one refused or the timeout passed (no caller waits
   *     for these commands, so they bound themselves)
   */
  private CompletableFuture<Void> confirm(
      List<StatefulRedisConnection<byte[], byte[]>> connections) {
    var replies = new ArrayList<CompletableFuture<String>>(connections.size());
    for (StatefulRedisConnection<byte[], byte[]> connection : connections) {
      replies.add(connection.async().clientTracking(TrackingArgs.Builder.enabled())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A near cache closed: its copies go; its prefix stays tracked until the connections drop. */
  void remove(KeyLayout layout) {
    NearEntries entries = caches.remove(layout);
    if (entries != null) {
      entries.suspend();
    }
  }

  /** A connection to a master is (again) up, or the masters changed: track on all of them. */
  void retrack() {
    if (caches.isEmpty()) {
      return;
    }
    long mine = suspend();
    try {
      worker.execute(() -> track(mine));
    } catch (RejectedExecutionException closed) {
      // the manager is closing: nothing to track any more
    }
  }

  /** A connection of the manager's client came back: if it carries tracking, track again. */
  void reconnected(Object connection) {
    if (listenedTo.contains(connection)) {
      retrack();
    }
  }

  /**
   * A connection of the manager's client dropped: if it carried tracking, what it would have told
   * us is lost. (Others come and go, such as a cluster's topology refreshes.)
   */
  void detached(RedisChannelHandler<?, ?> connection) {
    if (listenedTo.contains(connection)) {
      suspend();
      if (connection.isClosed()) {
        // closed for good (its node left the cluster): it will tell nothing more
        listenedTo.remove(connection);
      }
    }
  }

  private synchronized long suspend() {
    long next = epoch.incrementAndGet();
    tracked = List.of();
    caches.values().forEach(NearEntries::suspend);
    return next;
  }

  private synchronized void resume(long mine,
      List<StatefulRedisConnection<byte[], byte[]>> connections, long until) {
    retryMillis = 0;
    if (epoch.get() == mine) {
      tracked = connections;
      caches.values().forEach(entries -> entries.resume(until));
    }
  }

  private void track(long mine) {
    if (epoch.get() != mine || caches.isEmpty()) {
      return;
    }
    List<KeyLayout> layouts = List.copyOf(caches.keySet());
    List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();
    long sentAt = System.nanoTime();
    CompletableFuture<Void> confirmed;
    try {
      for (Connection.Server server : masters.get()) {
        StatefulRedisConnection<byte[], byte[]> connection = server.connection().get();
        if (listenedTo.add(connection)) {
          connection.addListener(listener);
        }
        connections.add(connection);
      }
      confirmed = confirm(connections);
    } catch (RuntimeException e) {
      failed(mine, layouts, e);
      return;
    }
    confirmed.whenComplete((done, failure) -> {
      if (failure != null) {
        failed(mine, layouts, failure);
      } else {
        resume(mine, List.copyOf(connections), sentAt + LEASE_NANOS);
      }
    });
  }

  private void failed(long mine, List<KeyLayout> layouts, Throwable failure) {
    long delay;
    synchronized (this) {
      if (epoch.get() != mine) {
        return;
      }
      boolean first = retryMillis == 0;
      retryMillis = first ? FIRST_RETRY_MILLIS : Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
      delay = retryMillis;
      // the first failure of a run is worth a WARN (an ACL without +client|tracking stays so)
      if (first) {
        LOG.warn("Near caches {} serve from Redis alone until CLIENT TRACKING at {} succeeds: {};"
            + " asked again in {} ms, then less often", layouts.stream()
            .map(KeyLayout::cacheName).toList(), address, RedisFailures.describe(failure), delay);
      } else {
        LOG.debug("CLIENT TRACKING at {} failed again: {}", address,
            RedisFailures.describe(failure));
      }
    }
    try {
      worker.schedule(() -> track(mine), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // the manager is closing
    }
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

  @Override
  public void close() {
    suspend();
    worker.shutdownNow();
  }
}

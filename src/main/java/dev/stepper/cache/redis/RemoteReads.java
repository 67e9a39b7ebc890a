package dev.stepper.cache.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads that go to Redis every time: one round trip each, a bulk read in one too. */
final class RemoteReads implements EntryReads {

  private static final LuaScript READ = LuaScript.load("read.lua");

  private final RedisConnector connector;
  private final KeyLayout layout;

  RemoteReads(RedisConnector connector, KeyLayout layout) {
    this.connector = connector;
    this.layout = layout;
  }

  /** @return the stored bytes, or {@code null} */
  byte[] get(byte[] key) {
    return connector.send(Call.get(layout.entryKey(key)), "GET", false);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    if (keys.size() == 1) {
      return Collections.singletonList(get(keys.get(0)));
    }
    String what = "GET of " + keys.size() + " keys";
    if (!connector.oneServer()) {
      var calls = new ArrayList<Call<byte[]>>(keys.size());
      for (byte[] key : keys) {
        calls.add(Call.get(layout.entryKey(key)));
      }
      return connector.send(calls, what, false);
    }
    List<byte[]> redisKeys = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      redisKeys.add(layout.entryKey(key));
    }
    List<byte[]> values = new ArrayList<>(keys.size());
    connector.send(EntryStore.chunks(redisKeys).stream().map(Call::mget).toList(), what, false)
        .forEach(values::addAll);
    return values;
  }

  @Override
  public TimedValue getWithTtl(byte[] key) {
    return getAllWithTtl(List.of(key)).get(0);
  }

  /** @return each entry and the time it has left, {@code null} where absent: one round trip */
  List<TimedValue> getAllWithTtl(List<byte[]> keys) {
    List<List<Object>> replies = connector.send(keys.stream()
        .map(key -> READ.call(new byte[][] {layout.entryKey(key)})).toList(), "GET", false);
    var found = new ArrayList<TimedValue>(keys.size());
    for (List<Object> reply : replies) {
      found.add(reply.isEmpty() ? null
          : new TimedValue((byte[]) reply.get(0), (Long) reply.get(1)));
    }
    return found;
  }

  @Override
  public void writing(List<byte[]> keys) {}

  @Override
  public long[] nearCacheCounts() {
    return new long[6];
  }

  @Override
  public void close() {}
}

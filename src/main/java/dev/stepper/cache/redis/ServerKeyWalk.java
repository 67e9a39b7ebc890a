package dev.stepper.cache.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import java.util.List;

/**
 * SCAN over one server: a key present throughout is seen at least once (SCAN may repeat a key
 * while Redis resizes its table; the cache's reads and removals tolerate that).
 */
final class ServerKeyWalk extends KeyWalk {

  private final RedisConnector connector;
  private final KeyLayout layout;
  private final int batchSize;
  private ScanCursor cursor = ScanCursor.INITIAL;

  ServerKeyWalk(RedisConnector connector, KeyLayout layout, int batchSize) {
    this.connector = connector;
    this.layout = layout;
    this.batchSize = batchSize;
  }

  @Override
  List<byte[]> nextBatch() {
    if (cursor.isFinished()) {
      return null;
    }
    KeyScanCursor<byte[]> page = connector.send(
        Call.scan(cursor, layout.scanPattern(), batchSize), "SCAN", false);
    cursor = page;
    return page.getKeys().stream().map(layout::encodedKey).toList();
  }
}

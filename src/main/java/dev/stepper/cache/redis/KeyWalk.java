package dev.stepper.cache.redis;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** A walk over one cache's keys, a batch of encoded keys at a time; never an empty batch. */
abstract class KeyWalk implements Iterator<List<byte[]>> {

  private List<byte[]> next;
  private boolean finished;

  /** @return the next batch, perhaps empty, or {@code null} when the walk is over */
  abstract List<byte[]> nextBatch();

  @Override
  public final boolean hasNext() {
    while (next == null && !finished) {
      List<byte[]> batch = nextBatch();
      if (batch == null) {
        finished = true;
      } else if (!batch.isEmpty()) {
        next = batch;
      }
    }
    return next != null;
  }

  @Override
  public final List<byte[]> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    List<byte[]> batch = next;
    next = null;
    return batch;
  }
}

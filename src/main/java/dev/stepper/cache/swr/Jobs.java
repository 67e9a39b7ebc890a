package dev.stepper.cache.swr;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/** The job of a generation that runs on the caller's thread, outside any cache entry. */
final class Jobs {

  private Jobs() {}

  static <V> Job<V> detached() {
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    return new Job<>() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public Instant requestedAt() {
        return now;
      }

      @Override
      public Instant leaseUntil() {
        return Instant.MAX;
      }

      @Override
      public boolean isRefresh() {
        return false;
      }

      @Override
      public boolean update(Function<? super Job<V>, ? extends V> placeholder) {
        return true;
      }
    };
  }
}

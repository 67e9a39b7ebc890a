package dev.stepper.cache;

import java.io.Serializable;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * Entries live ten minutes from creation, unchanged by access or update. Being a class of its own,
 * not one of {@code javax.cache.expiry}'s, the cache cannot know its answers in advance and must
 * ask it each time.
 */
public final class TenMinutesFromCreation implements ExpiryPolicy, Serializable {

  private static final long serialVersionUID = 1L;

  @Override
  public Duration getExpiryForCreation() {
    return Duration.TEN_MINUTES;
  }

  @Override
  public Duration getExpiryForAccess() {
    return null;
  }

  @Override
  public Duration getExpiryForUpdate() {
    return null;
  }
}

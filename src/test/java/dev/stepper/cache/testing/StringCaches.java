package dev.stepper.cache.testing;

import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.MutableEntry;

/** What tests of caches from String keys to String values share. */
public final class StringCaches {

  private StringCaches() {}

  /** @return a new configuration of String keys and values, for the caller to change at will */
  public static MutableConfiguration<String, String> config() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
  }

  /** An entry processor that appends "!" to the value: an update made in Java, not in Redis. */
  public static String appendBang(MutableEntry<String, String> entry, Object... arguments) {
    entry.setValue(entry.getValue() + "!");
    return null;
  }
}

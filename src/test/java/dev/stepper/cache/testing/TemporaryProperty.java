package dev.stepper.cache.testing;

/**
 * A system property set or cleared until {@link #close()} puts the earlier value back: the test
 * launcher sets {@code stepper.cache.uri} and {@code stepper.cache.prefix} for the whole JVM, and
 * later tests rely on them.
 *
 * @param name the property
 * @param previous its value before, or {@code null} if it had none
 */
public record TemporaryProperty(String name, String previous) implements AutoCloseable {

  /**
   * @param name the property
   * @param value its value for now, or {@code null} to clear it
   * @return the handle that restores it
   */
  public static TemporaryProperty set(String name, String value) {
    String previous = value == null ? System.clearProperty(name) : System.setProperty(name, value);
    return new TemporaryProperty(name, previous);
  }

  @Override
  public void close() {
    if (previous == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, previous);
    }
  }
}

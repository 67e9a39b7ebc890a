package dev.stepper.cache;

/** The one {@code unwrap} rule of JCache's types: the first candidate of the asked type. */
final class Unwrap {

  private Unwrap() {}

  /**
   * @param clazz the asked type
   * @param self the unwrapped object, always a candidate
   * @param more what else it may be unwrapped to, such as the Lettuce client behind a manager
   */
  static <T> T as(Class<T> clazz, Object self, Object... more) {
    if (clazz.isInstance(self)) {
      return clazz.cast(self);
    }
    for (Object candidate : more) {
      if (clazz.isInstance(candidate)) {
        return clazz.cast(candidate);
      }
    }
    throw new IllegalArgumentException("A " + self.getClass().getSimpleName()
        + " cannot be unwrapped to " + clazz.getName());
  }
}

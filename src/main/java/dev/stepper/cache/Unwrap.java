package dev.stepper.cache;

/** The one {@code unwrap} rule of JCache's types: this object, if it is of the asked type. */
final class Unwrap {

  private Unwrap() {}

  static <T> T as(Object self, Class<T> clazz) {
    if (clazz.isInstance(self)) {
      return clazz.cast(self);
    }
    throw new IllegalArgumentException("A " + self.getClass().getSimpleName()
        + " cannot be unwrapped to " + clazz.getName() + "; it is only itself");
  }
}

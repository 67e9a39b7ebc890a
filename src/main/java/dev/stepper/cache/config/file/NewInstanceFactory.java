package dev.stepper.cache.config.file;

import java.lang.reflect.InvocationTargetException;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;

/**
 * Makes a new instance of a class named in the file each time a cache is created, through its
 * public no-argument constructor; a class that is a {@code Factory} is asked for the instance.
 *
 * @param type the class named in the file, checked when the file was read
 * @param role what the instance must be ({@code CacheLoader}, {@code ExpiryPolicy}, …)
 * @param <T> the role
 */
record NewInstanceFactory<T>(Class<?> type, Class<T> role) implements Factory<T> {

  private static final long serialVersionUID = 1L;

  @Override
  public T create() {
    Object made = construct(type);
    if (made instanceof Factory<?> factory && !role.isInstance(made)) {
      made = factory.create();
    }
    if (!role.isInstance(made)) {
      throw new CacheException(type.getName() + " made a " + describe(made) + ", not a "
          + role.getSimpleName());
    }
    return role.cast(made);
  }

  static Object construct(Class<?> type) {
    try {
      return type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new CacheException("The constructor of " + type.getName() + " failed: "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new CacheException(type.getName() + " could not be made: it needs a public"
          + " constructor without parameters (" + e + ")", e);
    }
  }

  private static String describe(Object made) {
    return made == null ? "null" : made.getClass().getName();
  }
}

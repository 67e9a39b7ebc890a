package dev.stepper.examples.annotations.spring;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * What spring-boot-devtools runs an application in: a child-first loader for the application's
 * own classes, one per restart, over the parent that holds the libraries (here: everything outside
 * one package, including our provider). Each instance defines its own copy of the package's
 * classes, so a value decoded through any other loader fails to cast.
 */
final class RestartClassLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  private final String packagePrefix;

  /**
   * @param name for stack traces and class loader checks
   * @param application the package whose classes this loader defines itself
   * @param classes where they are: the test classes' root
   * @param parent the rest
   */
  RestartClassLoader(String name, String application, URL classes, ClassLoader parent) {
    super(name, new URL[] {classes}, parent);
    this.packagePrefix = application + ".";
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(packagePrefix)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        loaded = findClass(name);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }
}

package dev.stepper.cache.testing;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Configuration;

/**
 * The cache managers of one test and whatever else it hands over to be released. Closing the
 * fixture closes the managers first, then the rest newest first, so that no server or connection
 * goes away while something still uses it; a failure to close one thing does not stop the rest
 * from being closed.
 *
 * <p>{@link #manager} is the provider's manager for the test's class loader, as an application
 * gets it. {@link #separateManager} stands in for a manager in another JVM: the provider keeps one
 * manager per URI and class loader, so each gets a fresh, empty class loader (delegating to the
 * test's, so that both see the same classes) and with it connections of its own. Before closing a
 * manager of either kind the fixture destroys every cache it has, because the shared test server
 * may outlive this JVM. {@link #managerOnPrivateServer} is only closed: its server dies with the
 * test or never existed, so there is nothing to clean, and trying could only fail.
 */
public final class ManagerFixture implements AutoCloseable {

  private final Deque<AutoCloseable> managers = new ArrayDeque<>();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** @return the provider's manager for the URI and the test's class loader */
  public CacheManager manager(URI uri) {
    return cleanedOnClose(Caching.getCachingProvider()
        .getCacheManager(uri, ManagerFixture.class.getClassLoader()));
  }

  /**
   * @param uri the Redis URI, usually with a prefix of its own
   * @return a manager that shares no connection with any other
   */
  public CacheManager separateManager(URI uri) {
    return cleanedOnClose(unshared(uri));
  }

  /**
   * @return a manager that shares no connection with any other, closed but not cleaned up when
   *     the fixture closes (see {@link #managerOnPrivateServer})
   */
  public CacheManager separateManagerOnPrivateServer(URI uri) {
    CacheManager manager = unshared(uri);
    managers.push(manager);
    return manager;
  }

  private CacheManager unshared(URI uri) {
    var loader = own(new URLClassLoader(new URL[0], ManagerFixture.class.getClassLoader()));
    return Caching.getCachingProvider().getCacheManager(uri, loader);
  }

  /** @return a cache of that name created on a {@link #separateManager(URI)} */
  public <K, V> Cache<K, V> separateCache(URI uri, String cacheName,
      Configuration<K, V> configuration) {
    return separateManager(uri).createCache(cacheName, configuration);
  }

  /**
   * @return the provider's manager for the URI and the test's class loader, closed but not cleaned
   *     up when the fixture closes
   */
  public CacheManager managerOnPrivateServer(URI uri) {
    CacheManager manager = Caching.getCachingProvider()
        .getCacheManager(uri, ManagerFixture.class.getClassLoader());
    managers.push(manager);
    return manager;
  }

  /** @return the resource, to be closed with the fixture */
  public <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  private CacheManager cleanedOnClose(CacheManager manager) {
    managers.push(() -> {
      try {
        if (!manager.isClosed()) {
          // Copied first: destroying a cache changes the names.
          List<String> names = new ArrayList<>();
          manager.getCacheNames().forEach(names::add);
          names.forEach(manager::destroyCache);
        }
      } finally {
        manager.close();
      }
    });
    return manager;
  }

  @Override
  public void close() {
    Exception failure = closeAll(managers, null);
    failure = closeAll(resources, failure);
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (failure != null) {
      throw new IllegalStateException("could not close what the test used", failure);
    }
  }

  /** @return the first failure, earlier or now, with any later ones suppressed in it */
  private static Exception closeAll(Deque<AutoCloseable> newestFirst, Exception failure) {
    while (!newestFirst.isEmpty()) {
      try {
        newestFirst.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }
}

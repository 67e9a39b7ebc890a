package dev.stepper.cache;

import dev.stepper.cache.config.ManagerProperties;
import dev.stepper.cache.config.file.ConfigurationFile;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JCache provider of Stepper Cache, registered as a service so that
 * {@code Caching.getCachingProvider()} finds it.
 *
 * <p>A cache manager's URI names the Redis deployment:
 * {@code redis://[user:password@]host:port[/database][?prefix=name&timeout=2s]}, or
 * {@code rediss://...} for TLS; or a {@link ConfigurationFile} that says where Redis is and which
 * caches exist: {@code classpath:stepper-cache.yaml}, {@code file:/etc/app/stepper-cache.yaml}.
 * The default URI is the system property {@value #URI_PROPERTY}, else
 * {@code classpath:stepper-cache.yaml} if the default class loader finds that file, else the
 * environment variable {@code REDIS_URL}, else {@code redis://localhost:6379}. There is one
 * manager per URI and class loader; its caches are visible to every manager of any JVM with the
 * same Redis and key prefix.
 *
 * <p>The default class loader is the thread's context class loader, so that an application that
 * runs in a class loader of its own (a restarted Spring Boot application, an application server)
 * gets its own classes back from the cache.
 *
 * <p>Thread-safe.
 */
public final class StepperCachingProvider implements CachingProvider {

  /** System property naming the default cache manager URI. */
  public static final String URI_PROPERTY = "stepper.cache.uri";

  private final Map<ClassLoader, Map<URI, RedisCacheManager>> managers = new WeakHashMap<>();
  /** One lock per manager being opened, since opening runs application code. */
  private final Map<List<Object>, Object> opening = new ConcurrentHashMap<>();

  /** Made by {@code Caching} through the service loader. */
  public StepperCachingProvider() {}

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    URI managerUri = uri == null ? defaultUri(loader) : uri;
    Properties props = properties == null ? getDefaultProperties() : properties;
    boolean shared = "true".equals(String.valueOf(props.get(ManagerProperties.SHARED_BY_HOLDERS)));
    RedisCacheManager manager = registered(loader, managerUri);
    if (manager != null && (!shared || manager.hold())) {
      return manager;
    }
    // Opening makes the file's loaders, codecs and providers, whose constructors may ask for
    // other managers; so one lock per URI and class loader, and the map's lock only to publish.
    List<Object> key = List.of(loader, managerUri);
    try {
      synchronized (opening.computeIfAbsent(key, any -> new Object())) {
        manager = registered(loader, managerUri);
        if (manager != null && shared && !manager.hold()) {
          manager = null;
        }
        if (manager == null) {
          manager = RedisCacheManager.open(this, managerUri, loader, props);
          synchronized (managers) {
            managers.computeIfAbsent(loader, any -> new HashMap<>()).put(managerUri, manager);
          }
        }
        return manager;
      }
    } finally {
      opening.remove(key);
    }
  }

  private RedisCacheManager registered(ClassLoader loader, URI uri) {
    synchronized (managers) {
      Map<URI, RedisCacheManager> byUri = managers.get(loader);
      return byUri == null ? null : byUri.get(uri);
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : getClass().getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return defaultUri(getDefaultClassLoader());
  }

  /** The default URI as seen by one class loader: whether it has the file is its own matter. */
  private static URI defaultUri(ClassLoader loader) {
    String configured = System.getProperty(URI_PROPERTY);
    if ((configured == null || configured.isBlank())
        && loader.getResource(ConfigurationFile.DEFAULT_NAME) != null) {
      configured = "classpath:" + ConfigurationFile.DEFAULT_NAME;
    }
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("REDIS_URL");
    }
    if (configured == null || configured.isBlank()) {
      configured = "redis://localhost:6379";
    }
    return URI.create(configured.trim());
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    for (RedisCacheManager manager : snapshot(null)) {
      manager.shutDown();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    for (RedisCacheManager manager : snapshot(loader)) {
      manager.shutDown();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    RedisCacheManager manager = registered(loader, uri == null ? defaultUri(loader) : uri);
    if (manager != null) {
      manager.shutDown();
    }
  }

  private List<RedisCacheManager> snapshot(ClassLoader loader) {
    synchronized (managers) {
      List<RedisCacheManager> all = new ArrayList<>();
      managers.forEach((key, byUri) -> {
        if (loader == null || key == loader) {
          all.addAll(byUri.values());
        }
      });
      return all;
    }
  }

  /** Called by a closing manager, so that the next request makes a new one. */
  void forget(RedisCacheManager manager) {
    synchronized (managers) {
      Map<URI, RedisCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null && byUri.get(manager.getURI()) == manager) {
        byUri.remove(manager.getURI());
      }
    }
  }

  /** Store-by-reference is not supported: entries always travel to Redis as bytes. */
  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return false;
  }
}

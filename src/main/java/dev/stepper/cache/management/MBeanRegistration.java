package dev.stepper.cache.management;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One MXBean of one cache on the platform MBean server, registered and unregistered on demand.
 *
 * <p>The name follows the specification: {@code javax.cache:type=<type>,CacheManager=<manager
 * URI>,Cache=<name>}, where {@code , : = \n} become {@code .} as the TCK expects. The manager URI
 * comes with its password already hidden; names that still hold JMX pattern characters are quoted.
 */
public final class MBeanRegistration {

  /** The statistics MXBean's domain and type. */
  public static final String STATISTICS = "javax.cache:type=CacheStatistics";
  /** The configuration MXBean's domain and type. */
  public static final String CONFIGURATION = "javax.cache:type=CacheConfiguration";
  /** The stale-while-revalidate MXBean's domain and type: not the specification's. */
  public static final String REVALIDATION = "dev.stepper.cache:type=Revalidation";
  /** The domain and type of the MXBeans of budgeted calls: not the specification's. */
  public static final String CALLS = "dev.stepper.cache:type=Calls";
  /** The type of the near cache's MXBean. */
  public static final String NEAR_CACHE = "dev.stepper.cache:type=NearCache";

  private final Object bean;
  private final ObjectName name;
  private boolean registered;

  /**
   * @param bean the MXBean
   * @param type {@link #STATISTICS}, {@link #CONFIGURATION} or {@link #REVALIDATION}
   * @param managerUri the cache manager's URI, its password hidden
   * @param cacheName the cache's name
   */
  public MBeanRegistration(Object bean, String type, String managerUri, String cacheName) {
    this(bean, type, managerUri, cacheName, null);
  }

  /**
   * @param bean the MXBean of one budget's calls
   * @param managerUri the cache manager's URI, its password hidden
   * @param cacheName the cache's name
   * @param budget the budget's name, the key {@code Budget} of the bean's name
   * @return the registration, not yet registered
   */
  public static MBeanRegistration ofCalls(Object bean, String managerUri, String cacheName,
      String budget) {
    return new MBeanRegistration(bean, CALLS, managerUri, cacheName, budget);
  }

  private MBeanRegistration(Object bean, String type, String managerUri, String cacheName,
      String budget) {
    this.bean = bean;
    this.name = objectName(type, managerUri, cacheName, budget);
  }

  private static ObjectName objectName(String type, String managerUri, String cacheName,
      String budget) {
    try {
      return new ObjectName(type + ",CacheManager=" + safe(managerUri)
          + ",Cache=" + safe(cacheName) + (budget == null ? "" : ",Budget=" + safe(budget)));
    } catch (JMException e) {
      throw new CacheException("Cannot name the " + type + " MXBean of cache " + cacheName, e);
    }
  }

  private static String safe(String value) {
    String replaced = value.replaceAll("[,:=\n]", ".");
    return replaced.matches(".*[*?\"\\\\].*") ? ObjectName.quote(replaced) : replaced;
  }

  /**
   * Registers the bean unless it is already. A bean of the same name registered by another
   * manager (same URI, other class loader) is left in place.
   */
  public synchronized void register() {
    if (registered) {
      return;
    }
    try {
      server().registerMBean(bean, name);
      registered = true;
    } catch (InstanceAlreadyExistsException e) {
      // another manager with this URI owns the name; its bean stays
    } catch (JMException e) {
      throw new CacheException("Cannot register MXBean " + name, e);
    }
  }

  /** Unregisters the bean if this registration registered it. */
  public synchronized void unregister() {
    if (!registered) {
      return;
    }
    registered = false;
    try {
      server().unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // already gone
    } catch (JMException e) {
      throw new CacheException("Cannot unregister MXBean " + name, e);
    }
  }

  private static MBeanServer server() {
    return ManagementFactory.getPlatformMBeanServer();
  }
}

package dev.stepper.cache;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the objects a cache made from its configuration's factories (loader, writer, expiry
 * policy) once each, even when one object plays several parts.
 */
final class Resources {

  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

  private Resources() {}

  static void closeAll(Object... resources) {
    Set<Object> closed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object resource : resources) {
      if (resource instanceof AutoCloseable closeable && closed.add(resource)) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("Closing {} failed", resource, e);
        }
      }
    }
  }
}

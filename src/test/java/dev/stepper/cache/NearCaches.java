package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.management.NearCacheMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** What the near cache's tests share: their caches' configuration and the MXBean. */
final class NearCaches {

  private NearCaches() {}

  /** @return String keys and values as text, with that near cache ({@code null}: none) */
  static StepperConfiguration<String, String> config(NearCache nearCache) {
    var config = new StepperConfiguration<String, String>().setNearCache(nearCache)
        .setValueCodec(Codecs.string());
    config.setTypes(String.class, String.class);
    return config;
  }

  /** @return the MXBean of the one open near cache of that name */
  static NearCacheMXBean bean(String cacheName) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    var names = server.queryNames(new ObjectName(
        "dev.stepper.cache:type=NearCache,CacheManager=*,Cache=" + cacheName), null);
    assertEquals(1, names.size(), "one near cache, one MXBean: " + names);
    return JMX.newMXBeanProxy(server, names.iterator().next(), NearCacheMXBean.class);
  }
}

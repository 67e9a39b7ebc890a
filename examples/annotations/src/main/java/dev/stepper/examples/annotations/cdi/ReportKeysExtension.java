package dev.stepper.examples.annotations.cdi;

import dev.stepper.cache.report.ReportKeyGenerator;
import javax.enterprise.event.Observes;
import javax.enterprise.inject.spi.BeanManager;
import javax.enterprise.inject.spi.BeforeBeanDiscovery;
import javax.enterprise.inject.spi.Extension;

/**
 * Makes {@link ReportKeyGenerator} a managed bean, as an application registers it (in
 * {@code META-INF/services/javax.enterprise.inject.spi.Extension}). The RI's CDI interceptors take
 * a method's {@code cacheKeyGenerator} from the bean manager, and the provider's jar is no bean
 * archive: without this, {@code @CacheResult(cacheKeyGenerator = ReportKeyGenerator.class)} fails
 * with "cacheKeyGenerator cannot be null". A producer method does not do: the RI asks the bean for
 * a reference of its bean class, which for a producer is the class declaring the method.
 */
public class ReportKeysExtension implements Extension {

  /** Made by the container. */
  public ReportKeysExtension() {}

  void addReportKeyGenerator(@Observes BeforeBeanDiscovery event, BeanManager beans) {
    event.addAnnotatedType(beans.createAnnotatedType(ReportKeyGenerator.class),
        ReportKeyGenerator.class.getName());
  }
}

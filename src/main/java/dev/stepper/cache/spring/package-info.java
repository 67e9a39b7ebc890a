/**
 * Spring Boot: an auto-configuration, registered in {@code META-INF/spring}, that hands the
 * application's {@code Environment} to the configuration file's placeholders and lets Spring
 * contexts share one cache manager without closing it under each other; and {@link
 * dev.stepper.cache.spring.ReportKeys}, the key generator that gives Spring's
 * {@code @Cacheable} the report cache's readable keys; and {@link
 * dev.stepper.cache.spring.FallBackToMethod}, an error handler that runs the methods while Redis
 * is down.
 *
 * <p>Optional: compiled against Spring Boot 3.5 and 4, loaded only by Spring, so that nothing
 * here is needed without it. Depends on {@code config} (the manager properties it sets),
 * {@code report} (the report key) and {@code redis} for its one public type, the outage
 * exception; never on the provider's internals.
 */
package dev.stepper.cache.spring;

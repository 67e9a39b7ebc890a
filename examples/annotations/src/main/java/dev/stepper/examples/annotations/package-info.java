/**
 * One annotated service, {@link dev.stepper.examples.annotations.DiaryService} ({@code @CacheResult}
 * with the provider's {@code ReportKeyGenerator}), and its report providers, run under Spring Boot,
 * CDI (Weld SE) and Guice; each container's test says how it is wired. The caches are declared in
 * YAML files under {@code src/test/resources}; no code here is written against the provider
 * beyond its public report types.
 */
package dev.stepper.examples.annotations;

/**
 * A product catalog as a Spring Boot application: {@link dev.stepper.examples.catalog.Catalog}
 * caches with Spring's own annotations, {@link dev.stepper.examples.catalog.Diaries} serves
 * commit-diary reports through {@code @Cacheable} and the shipped {@code reportKeys}, and {@link
 * dev.stepper.examples.catalog.CacheSettings} keeps it answering while Redis is down. Its
 * configuration is {@code application.properties} and {@code stepper-cache.yaml}; nothing in the
 * code names the provider.
 */
package dev.stepper.examples.catalog;

/**
 * The provider dropped into JCache-aware frameworks, each test against real Redis: Spring Boot,
 * CDI (Weld SE), Guice, Hibernate ORM's second-level cache and Micrometer. The caches are declared
 * in YAML files under {@code src/test/resources/frameworks}; no test writes provider code.
 */
package dev.stepper.cache.frameworks;

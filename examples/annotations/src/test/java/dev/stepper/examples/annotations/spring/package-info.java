/**
 * Stepper Cache under Spring Boot's JCache auto-configuration, against real Redis: the report
 * cache declared in YAML behind Spring's JSR-107 annotations, and an application restarted in a new
 * child-first class loader as spring-boot-devtools does. The same sources run against Boot 4.1 and,
 * with the Maven profile {@code spring-boot-3.5}, Boot 3.5, so they use no Boot class whose package
 * differs between the two.
 */
package dev.stepper.examples.annotations.spring;

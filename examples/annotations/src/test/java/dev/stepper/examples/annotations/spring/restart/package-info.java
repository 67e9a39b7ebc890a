/**
 * A small Spring Boot application that {@code SpringBootRestartTest} loads in child-first class
 * loaders, as spring-boot-devtools does on restart; nothing outside this package may refer to
 * its classes except through {@code Notebook}, which the parent loader owns.
 */
package dev.stepper.examples.annotations.spring.restart;

/**
 * The shared {@code DiaryService} under Guice with the JSR-107 reference interceptors, the YAML
 * file found at the root of the class path, and an undeclared cache made from its defaults.
 */
package dev.stepper.examples.annotations.guice;

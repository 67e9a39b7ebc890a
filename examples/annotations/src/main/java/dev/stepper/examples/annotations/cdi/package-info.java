/**
 * The shared {@code DiaryService} under CDI (Weld SE) with the JSR-107 reference interceptors,
 * which resolve the default cache manager from the YAML file.
 */
package dev.stepper.examples.annotations.cdi;

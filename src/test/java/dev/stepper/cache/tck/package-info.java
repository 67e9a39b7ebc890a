/**
 * Glue between the official JSR-107 TCK and this provider: the bean provider its annotation tests
 * need. The TCK itself runs from its published jars in the surefire executions {@code tck} and
 * {@code tck-annotations} of the pom; see {@code tck/README.md}.
 */
package dev.stepper.cache.tck;

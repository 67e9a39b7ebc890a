/**
 * Micrometer's {@code JCacheMetrics} reading this provider's statistics MXBeans, and the cache
 * manager URIs for which it can.
 */
package dev.stepper.examples.micrometer;

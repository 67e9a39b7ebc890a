/**
 * JCache management: the statistics and configuration MXBeans of each cache, and their
 * registration on the platform MBean server under the names the specification prescribes
 * ({@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=...,Cache=...}), where
 * monitoring tools such as Micrometer's {@code JCacheMetrics} find them.
 *
 * <p>Statistics are counted per cache per JVM. Depends on {@code javax.cache} and JMX only.
 * Internal: public only for the cache implementation; not an API, may change without notice.
 */
package dev.stepper.cache.management;

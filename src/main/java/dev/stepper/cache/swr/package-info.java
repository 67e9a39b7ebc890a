/**
 * Stale-while-revalidate for any cache with a loader: the public policy and loader contract.
 *
 * <p>Put a {@link dev.stepper.cache.swr.StaleWhileRevalidate} expiry policy and a
 * {@link javax.cache.integration.CacheLoader} on a cache's configuration, with read-through on,
 * and {@code cache.get(key)} does the rest: a fresh entry is returned; a stale one is returned at
 * once while one caller, in any JVM, reloads it in the background; a failed reload leaves the stale
 * entry served and is not retried before its backoff ends. A
 * {@link dev.stepper.cache.swr.BackgroundLoader} goes further: a miss stores and returns a
 * placeholder at once and generates the value on the cache's bounded job executor.
 *
 * <p>Coordination between JVMs happens in Redis (a compare-and-set on the entry, and a lease per
 * entry), never with a JVM-local lock. This package depends on {@code javax.cache} only; the
 * provider's core carries out the flow.
 */
package dev.stepper.cache.swr;

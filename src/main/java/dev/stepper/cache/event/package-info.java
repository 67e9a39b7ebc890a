/**
 * Cache entry events: listener registrations, their synchronous or asynchronous delivery in this
 * JVM, and the bridge that delivers changes made by other JVMs, received over Redis pub/sub.
 *
 * <p>Depends on {@code javax.cache}, the {@code codec} package and the pub/sub and message types
 * of the {@code redis} package; never on the cache implementation.
 * Internal: public only for the cache implementation; not an API, may change without notice.
 */
package dev.stepper.cache.event;

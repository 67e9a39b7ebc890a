/**
 * Cache entry events: listener registrations, their synchronous or asynchronous delivery in this
 * JVM, and the bridge that delivers changes made by other JVMs, received over Redis pub/sub in
 * the wire format of {@code EventMessage} (what {@code write.lua} publishes).
 *
 * <p>Depends on {@code javax.cache}, the {@code codec} package and the pub/sub connection, entry
 * store and key layout of the {@code redis} package; never on the cache implementation.
 * Internal: public only for the cache implementation; not an API, may change without notice.
 */
package dev.stepper.cache.event;

/**
 * Everything that speaks to Redis: connections per cache manager (one server, the master a
 * Sentinel names, or a Redis Cluster) and their URI settings, the key layout, the Lua scripts and
 * the commands one cache's entries, its events, its stale-while-revalidate job records, job queue
 * and call budgets need.
 *
 * <p>This is the only package that imports Lettuce, and it uses only API present in both Lettuce
 * 6.6 and 7.x. It deals in bytes and knows nothing of codecs, listeners or expiry policies: the
 * cache tells it what to write and with which time-to-live. On a Redis Cluster every command and
 * script touches one key, so one hash slot; on a single server, where there are no slots, one
 * command may carry the keys of a whole bulk call. No entry carries a hash tag, so a cache spreads
 * over every shard; only a cache's job queue and call budgets, small and touched one at a time,
 * share one hash tag per cache (see {@link dev.stepper.cache.redis.KeyLayout}). Walks over a
 * cluster's keys re-read the slots that moved while a master was scanned; a Sentinel-named master
 * is followed as soon as a Sentinel announces a new one. Lua scripts live next to the classes as
 * {@code *.lua} resources.
 *
 * <p>The stale-while-revalidate job records, job queue and call budgets ({@code JobRecords},
 * {@code JobQueue}, {@code CallBudgets}) live here rather than beside the engine that uses them:
 * they are Redis protocols (leases, a stream with a consumer group, sorted sets of leased calls)
 * made of Lua scripts and Lettuce commands, and hold none of the engine's policy (freshness
 * windows, placeholders, backoff), which stays in {@code swr} and the root package.
 *
 * <p>Internal: not an API; may change without notice, except {@link
 * dev.stepper.cache.redis.RedisUnavailableException}, which applications catch to tell an outage
 * from a mistake. Depends on Lettuce (and Reactor, the
 * type of its event bus), the JDK, {@code javax.cache} (for its exceptions) and {@code config}
 * (the duration grammar of URI parameters, and the password redaction of every message).
 */
package dev.stepper.cache.redis;

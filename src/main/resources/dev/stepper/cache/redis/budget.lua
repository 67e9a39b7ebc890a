-- A call budget shared by every JVM of one cache: at most so many calls in flight, and at most
-- so many started in any window of time (a minute for a requests-per-minute quota). A call in
-- flight holds a slot with a lease, so the slot of a JVM that dies comes back when the lease runs
-- out. Both keys carry the cache's hash tag, so they share one slot. Times come from the server's
-- clock, shared by every JVM.
--
-- KEYS[1]  sorted set of the calls in flight: member the call's token, score its lease end in ms
-- KEYS[2]  sorted set of the calls started in the last window: member the token, score the start
-- ARGV[1]  operation: 'A' acquire a slot, 'R' release it, 'S' statistics
-- ARGV[2]  'A', 'R': the call's token
-- ARGV[3]  'A': most calls in flight, 0 for no limit
-- ARGV[4]  'A': most calls per window, 0 for no limit
-- ARGV[5]  'A': the slot's lease in ms
-- ARGV[6]  'A': the rate's window in ms
--
-- Returns for 'A' {1} when acquired, else {0, ms until a slot frees up at the latest, 1 if the
-- rate is spent (the time is then exact) or 0 if the calls in flight are}; for 'R' {1}; for
-- 'S' {calls in flight}.

local inFlight, recent, op = KEYS[1], KEYS[2], ARGV[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREMRANGEBYSCORE', inFlight, '-inf', now)

if op == 'A' then
  local maxInFlight, rate, lease = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
  local window = tonumber(ARGV[6])
  if maxInFlight > 0 and redis.call('ZCARD', inFlight) >= maxInFlight then
    local soonest = redis.call('ZRANGE', inFlight, 0, 0, 'WITHSCORES')[2]
    return {0, math.max(1, tonumber(soonest) - now), 0}
  end
  redis.call('ZREMRANGEBYSCORE', recent, '-inf', now - window)
  if rate > 0 and redis.call('ZCARD', recent) >= rate then
    local oldest = redis.call('ZRANGE', recent, 0, 0, 'WITHSCORES')[2]
    return {0, math.max(1, tonumber(oldest) + window - now), 1}
  end
  redis.call('ZADD', inFlight, now + lease, ARGV[2])
  redis.call('PEXPIRE', inFlight, lease)
  redis.call('ZADD', recent, now, ARGV[2] .. '@' .. now)
  redis.call('PEXPIRE', recent, window)
  return {1}
elseif op == 'R' then
  redis.call('ZREM', inFlight, ARGV[2])
  return {1}
elseif op == 'S' then
  return {redis.call('ZCARD', inFlight)}
end
return redis.error_reply('unknown budget operation ' .. tostring(op))

-- Reads one entry together with the time it has left, so that a stale-while-revalidate cache can
-- tell fresh from stale in the same round trip as the read.
--
-- KEYS[1]  the entry's key
--
-- Returns {value, remaining}: remaining in milliseconds, -1 when the entry never expires;
-- an empty list when the entry does not exist.

local value = redis.call('GET', KEYS[1])
if not value then
  return {}
end
return {value, redis.call('PTTL', KEYS[1])}

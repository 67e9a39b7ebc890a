-- The per-entry job record of a stale-while-revalidate cache: who holds the lease to (re)generate
-- the entry, and when a failed generation may be retried. It lives beside the entry, under its own
-- key, and each call touches that key only (an entry and its record may sit on different
-- Redis Cluster shards). Times come from the server's clock, shared by every JVM.
--
-- KEYS[1]  the job record's key
-- ARGV[1]  operation: 'A' acquire the lease, 'R' release it, 'F' record a failure
-- ARGV[2]  the holder's token
-- ARGV[3]  'A': lease duration in ms; 'F': delay before a retry, in ms
-- ARGV[4]  'F': how long to keep the failure record, in ms (at least ARGV[3])
-- ARGV[5]  'F': failed attempts so far, this one included
--
-- The record is 'L|<token>|<attempts>' while leased, 'F|<attempts>|<retry at ms>' after a failure.
-- Returns for 'A' {1, attempts failed before} when acquired, else {0, retry at ms (0 while
-- another holder's lease runs)}; for 'R' {1} if released, else {0}; for 'F' {retry at ms}, or {0}
-- when the lease had been lost (nothing is recorded then).

local key, op, token = KEYS[1], ARGV[1], ARGV[2]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local record = redis.call('GET', key)

local function fields(s)
  local out = {}
  for field in string.gmatch(s, '[^|]+') do
    out[#out + 1] = field
  end
  return out
end

local function heldByCaller()
  if not record then
    return nil
  end
  local f = fields(record)
  if f[1] == 'L' and f[2] == token then
    return f
  end
  return nil
end

if op == 'A' then
  local attempts = 0
  if record then
    local f = fields(record)
    if f[1] == 'L' then
      return {0, 0}
    end
    local retryAt = tonumber(f[3])
    if retryAt > now then
      return {0, retryAt}
    end
    attempts = tonumber(f[2])
  end
  redis.call('SET', key, 'L|' .. token .. '|' .. attempts, 'PX', ARGV[3])
  return {1, attempts}
elseif op == 'R' then
  if heldByCaller() then
    redis.call('DEL', key)
    return {1}
  end
  return {0}
elseif op == 'F' then
  if not heldByCaller() then
    return {0}
  end
  local retryAt = now + tonumber(ARGV[3])
  redis.call('SET', key, 'F|' .. ARGV[5] .. '|' .. retryAt, 'PX', ARGV[4])
  return {retryAt}
end
return redis.error_reply('unknown lease operation ' .. tostring(op))

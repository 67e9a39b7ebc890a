-- The per-entry job record of a stale-while-revalidate cache: who holds the lease to (re)generate
-- the entry, and when a failed generation may be retried. It lives beside the entry, under its own
-- key, and each call touches that key only (an entry and its record may sit on different
-- Redis Cluster shards). Times come from the server's clock, shared by every JVM.
--
-- KEYS[1]  the job record's key
-- ARGV[1]  operation: 'A' acquire the lease, 'E' extend it, 'R' release it, 'F' record a failure
-- ARGV[2]  the holder's token
-- ARGV[3]  'A', 'E': lease duration in ms; 'F': delay before a retry, in ms
-- ARGV[4]  'F': how long to keep the failure record, in ms (at least ARGV[3])
-- ARGV[5]  'F': failed attempts so far, this one included
--
-- The record is 'L|<token>|<attempts>' while leased, 'F|<attempts>|<retry at ms>' after a failure;
-- anything else (written by hand, or by another version) counts as no record.
-- Returns for 'A' {1, attempts failed before} when acquired, else {0, retry at ms, 0} after a
-- failure or {0, 0, ms left} while another holder's lease runs; for 'E' and 'R' {1} if the caller
-- held the lease, else {0}; for 'F' {retry at ms}, or {0} when the lease had been lost (nothing is
-- recorded then).

local key, op, token = KEYS[1], ARGV[1], ARGV[2]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function parse(s)
  if not s then
    return nil
  end
  local kind, a, b = string.match(s, '^([LF])|([^|]+)|([^|]+)$')
  if kind == 'L' and tonumber(b) then
    return {kind = 'L', token = a, attempts = tonumber(b)}
  end
  if kind == 'F' and tonumber(a) and tonumber(b) then
    return {kind = 'F', attempts = tonumber(a), retryAt = tonumber(b)}
  end
  return nil
end

local record = parse(redis.call('GET', key))
local held = record and record.kind == 'L' and record.token == token

if op == 'A' then
  local attempts = 0
  if record and record.kind == 'L' then
    return {0, 0, math.max(1, redis.call('PTTL', key))}
  elseif record then
    if record.retryAt > now then
      return {0, record.retryAt, 0}
    end
    attempts = record.attempts
  end
  redis.call('SET', key, 'L|' .. token .. '|' .. attempts, 'PX', ARGV[3])
  return {1, attempts}
elseif op == 'E' then
  if held then
    redis.call('PEXPIRE', key, ARGV[3])
    return {1}
  end
  return {0}
elseif op == 'R' then
  if held then
    redis.call('DEL', key)
    return {1}
  end
  return {0}
elseif op == 'F' then
  if not held then
    return {0}
  end
  local retryAt = now + tonumber(ARGV[3])
  redis.call('SET', key, 'F|' .. ARGV[5] .. '|' .. retryAt, 'PX', ARGV[4])
  return {retryAt}
end
return redis.error_reply('unknown lease operation ' .. tostring(op))

-- The job queue of one stale-while-revalidate cache: a stream read by one consumer group, the
-- cache's workers in every JVM. A message is queued until a worker takes it, pending (in the
-- group's PEL) while that worker runs it, and deleted when it is done. A worker beats on its
-- running messages, so a message idle for a lease belongs to a dead worker and is taken again.
-- The stream is the only key, so every call touches one hash slot.
--
-- KEYS[1]  the queue's stream
-- ARGV[1]  operation: 'Q' enqueue, 'T' take, 'B' beat, 'D' done, 'H' hand back, 'S' statistics
-- ARGV[2]  the consumer group
-- 'Q'  ARGV[3] bound on queued (not yet taken) messages, ARGV[4] channel to wake workers on,
--      ARGV[5..] field, value, ... of the message
-- 'T'  ARGV[3] the taking consumer, ARGV[4] idle ms after which a taken message counts as dead
-- 'B'  ARGV[3] the consumer, ARGV[4] the message id
-- 'D'  ARGV[3] the message id
-- 'H'  ARGV[3] the message id, ARGV[4] channel to wake workers on, ARGV[5..] the new message
--
-- Returns for 'Q' {1, id} when queued, else {0, queued}; for 'T' {} when nothing is there, else
-- {id, deliveries, field, value, ...}, the oldest dead worker's message first; for 'B' {1} while
-- the consumer still holds the message, else {0}; for 'D' {1}; for 'H' {new id}; for 'S'
-- {queued, ms timestamp of the oldest queued message, or -1}.

local stream, op, group = KEYS[1], ARGV[1], ARGV[2]

-- The stream exists only while it holds a job: it is made by the first enqueue and dropped by
-- the last 'D', so a cache without jobs leaves no key behind.
if redis.call('EXISTS', stream) == 0 then
  if op == 'Q' or op == 'H' then
    redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
  elseif op == 'T' then
    return {}
  elseif op == 'B' then
    return {0}
  elseif op == 'D' then
    return {1}
  elseif op == 'S' then
    return {0, -1}
  end
end

local function queued()
  return math.max(0, redis.call('XLEN', stream) - redis.call('XPENDING', stream, group)[1])
end

local function fields(from)
  local out = {}
  for i = from, #ARGV do
    out[#out + 1] = ARGV[i]
  end
  return out
end

if op == 'Q' then
  local waiting = queued()
  if waiting >= tonumber(ARGV[3]) then
    return {0, waiting}
  end
  local id = redis.call('XADD', stream, '*', unpack(fields(5)))
  redis.call('PUBLISH', ARGV[4], id)
  return {1, id}
elseif op == 'T' then
  local consumer = ARGV[3]
  local message
  local claimed = redis.call('XAUTOCLAIM', stream, group, consumer, ARGV[4], '0-0', 'COUNT', 1)
  if claimed[2][1] then
    message = claimed[2][1]
  else
    local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', 1, 'STREAMS',
        stream, '>')
    if not read then
      return {}
    end
    message = read[1][2][1]
  end
  local id = message[1]
  local deliveries = redis.call('XPENDING', stream, group, id, id, 1)[1][4]
  local out = {id, deliveries}
  for _, v in ipairs(message[2]) do
    out[#out + 1] = v
  end
  return out
elseif op == 'B' then
  local id = ARGV[4]
  local pending = redis.call('XPENDING', stream, group, id, id, 1)[1]
  if pending and pending[2] == ARGV[3] then
    redis.call('XCLAIM', stream, group, ARGV[3], 0, id, 'JUSTID')
    return {1}
  end
  return {0}
elseif op == 'D' then
  redis.call('XACK', stream, group, ARGV[3])
  redis.call('XDEL', stream, ARGV[3])
  if redis.call('XLEN', stream) == 0 and redis.call('XPENDING', stream, group)[1] == 0 then
    redis.call('DEL', stream)
  end
  return {1}
elseif op == 'H' then
  local id = redis.call('XADD', stream, '*', unpack(fields(5)))
  redis.call('XACK', stream, group, ARGV[3])
  redis.call('XDEL', stream, ARGV[3])
  redis.call('PUBLISH', ARGV[4], id)
  return {id}
elseif op == 'S' then
  local last = '0-0'
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    for i = 1, #g, 2 do
      if g[i] == 'name' and g[i + 1] ~= group then
        break
      end
      if g[i] == 'last-delivered-id' then
        last = g[i + 1]
      end
    end
  end
  local first = redis.call('XRANGE', stream, '(' .. last, '+', 'COUNT', 1)[1]
  local oldest = -1
  if first then
    oldest = tonumber(string.match(first[1], '^(%d+)'))
  end
  return {queued(), oldest}
end
return redis.error_reply('unknown queue operation ' .. tostring(op))

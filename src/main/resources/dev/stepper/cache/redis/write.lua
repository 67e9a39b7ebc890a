-- Writes, deletes or touches one cache entry if a condition holds, and announces the change.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  condition: '*' always, '-' absent, '+' present, '=<sha1 hex>' present with these bytes
-- ARGV[2]  action: 'S' set ARGV[3], 'D' delete, 'T' touch (apply ARGV[5] to the time-to-live)
-- ARGV[3]  the value to set
-- ARGV[4]  time-to-live if the entry is created: 'E' eternal, '0' not stored, or milliseconds
-- ARGV[5]  time-to-live if the entry exists: 'E' eternal, 'K' keep, '0' expire now, or milliseconds
-- ARGV[6]  flags: 'o' return the previous value, 'p' probe only (check the condition, change nothing)
-- ARGV[7]  pub/sub channel for change events, '' for none
-- ARGV[8]  the caller's origin id, carried in events so that it can ignore its own
--
-- Returns {outcome, existed, previous}: outcome 'A' applied, 'F' condition failed, 'P' probed;
-- existed 1 or 0; previous the old bytes when flag 'o' is set, or when a '=' condition failed
-- on an existing entry (the caller then compares values itself; else nil).
-- Events are published only when someone subscribes to ARGV[7] (the caller's own listeners are
-- told in the caller's JVM and skip the echo), as
-- <type><netstring origin><netstring key><value><old value>, type c|u|r|x (created, updated,
-- removed, expired), each value 'n' (none) or 'v' followed by a netstring.

local key = KEYS[1]
local condition, action, value = ARGV[1], ARGV[2], ARGV[3]
local createTtl, existingTtl, flags = ARGV[4], ARGV[5], ARGV[6]
local channel = ARGV[7]

local function netstring(s)
  return #s .. ':' .. s .. ','
end

local function optional(s)
  if s then
    return 'v' .. netstring(s)
  end
  return 'n'
end

local listened = channel ~= '' and redis.call('PUBSUB', 'NUMSUB', channel)[2] > 0

local function announce(kind, new, old)
  if listened then
    redis.call('PUBLISH', channel,
        kind .. netstring(ARGV[8]) .. netstring(key) .. optional(new) .. optional(old))
  end
end

local wantOld = string.find(flags, 'o', 1, true) ~= nil
local digest = string.sub(condition, 1, 1) == '=' and string.sub(condition, 2) or nil

local previous, existed
if wantOld or listened or digest then
  previous = redis.call('GET', key)
  existed = previous ~= false
else
  previous = false
  existed = redis.call('EXISTS', key) == 1
end

local holds
if condition == '*' then
  holds = true
elseif condition == '-' then
  holds = not existed
elseif condition == '+' then
  holds = existed
else
  holds = existed and redis.sha1hex(previous) == digest
end

local function reply(outcome, withPrevious)
  return {outcome, existed and 1 or 0, withPrevious and previous or false}
end

if not holds then
  return reply('F', wantOld or digest)
end
if string.find(flags, 'p', 1, true) then
  return reply('P', wantOld)
end

local function store(ttl)
  if ttl == 'E' then
    redis.call('SET', key, value)
  elseif ttl == 'K' then
    redis.call('SET', key, value, 'KEEPTTL')
  else
    redis.call('SET', key, value, 'PX', ttl)
  end
end

if action == 'S' then
  if not existed then
    if createTtl ~= '0' then
      store(createTtl)
      announce('c', value, nil)
    end
  elseif existingTtl == '0' then
    redis.call('DEL', key)
    announce('u', value, previous)
    announce('x', nil, value)
  else
    store(existingTtl)
    announce('u', value, previous)
  end
elseif action == 'D' then
  if existed then
    redis.call('DEL', key)
    announce('r', nil, previous)
  end
elseif action == 'T' then
  if existed then
    if existingTtl == '0' then
      redis.call('DEL', key)
      announce('x', nil, previous)
    elseif existingTtl == 'E' then
      redis.call('PERSIST', key)
    elseif existingTtl ~= 'K' then
      redis.call('PEXPIRE', key, existingTtl)
    end
  end
end
return reply('A', wantOld)

-- Writes, deletes or touches cache entries, each if its condition holds, and announces the changes.
-- All keys of one call live on one server: one key per call on a Redis Cluster, any number on a
-- single server (where a bulk operation is then one round trip and one script run).
--
-- KEYS[i]  the i-th entry's key
-- ARGV[1]  pub/sub channel whose subscribers are counted (PUBSUB NUMSUB, on this server only):
--          the event channel itself on a single server; on a cluster, a presence channel that
--          every listening manager subscribes to on every node. '' for none
-- ARGV[2]  pub/sub channel for change events
-- ARGV[3]  the caller's origin id, carried in events so that it can ignore its own
-- then six arguments per entry, the i-th starting at ARGV[4 + 6 * (i - 1)]:
--   condition: '*' always, '-' absent, '+' present, '=<sha1 hex>' present with these bytes
--   action: 'S' set the value, 'D' delete, 'T' touch (apply the existing-entry TTL)
--   the value to set
--   time-to-live if the entry is created: 'E' eternal, '0' not stored, or milliseconds
--   time-to-live if the entry exists: 'E' eternal, 'K' keep, '0' expire now, or milliseconds
--   flags: 'o' return the previous value, 'p' probe only (check the condition, change nothing)
--
-- Returns three items per entry, {outcome, existed, previous, ...}: outcome 'A' applied,
-- 'F' condition failed, 'P' probed; existed 1 or 0; previous the old bytes when flag 'o' is set,
-- or when a '=' condition failed on an existing entry (the caller then compares values itself;
-- else false). Then one last item: 1 if someone listens, 0 if nobody does, -1 if not asked
-- (ARGV[1] ''). A caller that hears 0 may write plain SETs for a short while (see Audience.java).
-- Events are published only when someone subscribes (the caller's own listeners are told in the
-- caller's JVM and skip the echo), as
-- <type><netstring origin><netstring key><value><old value>, type c|u|r|x (created, updated,
-- removed, expired), each value 'n' (none) or 'v' followed by a netstring.

local presence, channel, origin = ARGV[1], ARGV[2], ARGV[3]

local function netstring(s)
  return #s .. ':' .. s .. ','
end

local function optional(s)
  if s then
    return 'v' .. netstring(s)
  end
  return 'n'
end

local listened = presence ~= '' and redis.call('PUBSUB', 'NUMSUB', presence)[2] > 0

local function write(key, condition, action, value, createTtl, existingTtl, flags, out)
  local function announce(kind, new, old)
    if listened then
      redis.call('PUBLISH', channel,
          kind .. netstring(origin) .. netstring(key) .. optional(new) .. optional(old))
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
    out[#out + 1] = outcome
    out[#out + 1] = existed and 1 or 0
    out[#out + 1] = withPrevious and previous or false
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
end

local out = {}
for i = 1, #KEYS do
  local a = 4 + 6 * (i - 1)
  write(KEYS[i], ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], out)
end
out[#out + 1] = presence == '' and -1 or (listened and 1 or 0)
return out

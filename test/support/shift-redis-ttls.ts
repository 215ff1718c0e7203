/**
 * Lua, ARGV[1] = ms: simulates time passing on one Redis node by shortening every key's
 * remaining lifetime (keys that would have expired are deleted). Run it with 0 keys on each
 * node that holds data (every master of a cluster).
 */
export const SHIFT_TTLS = `
local shift = tonumber(ARGV[1])
for _, key in ipairs(redis.call('KEYS', '*')) do
  local ttl = redis.call('PTTL', key)
  if ttl > shift then redis.call('PEXPIRE', key, ttl - shift)
  elseif ttl > 0 then redis.call('DEL', key) end
end`;

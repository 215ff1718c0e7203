import type Redis from 'ioredis';

/**
 * "The stored JSON object's field equals the expected string", as in field-condition.ts:
 * cjson turns arrays into tables with integer keys only, so a string field never matches them.
 */
const FIELD_MATCHES = `
local function field_matches(value, field, expected)
  local ok, doc = pcall(cjson.decode, value)
  return ok and type(doc) == 'table' and doc[field] == expected
end
`;

/** GET and PTTL in one atomic round trip. */
const GET_WITH_TTL = `
local value = redis.call('GET', KEYS[1])
if value == false then return false end
return { value, redis.call('PTTL', KEYS[1]) }
`;

/** ARGV: field, expected, ttlSeconds. Returns the value whether or not it refreshed it. */
const REFRESH_IF = `${FIELD_MATCHES}
local value = redis.call('GET', KEYS[1])
if value == false then return false end
if field_matches(value, ARGV[1], ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return value
`;

/** ARGV: field, expected. Returns the number of keys deleted. */
const DELETE_IF = `${FIELD_MATCHES}
local value = redis.call('GET', KEYS[1])
if value == false then return 0 end
if field_matches(value, ARGV[1], ARGV[2]) then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** The client with Sentinel's scripts as commands (EVALSHA, falling back to EVAL once). */
export interface ScriptedRedis extends Redis {
  sentinelGetWithTtl(key: string): Promise<[string, number] | null>;
  sentinelRefreshIf(
    key: string,
    field: string,
    expected: string,
    ttl: number,
  ): Promise<string | null>;
  sentinelDeleteIf(key: string, field: string, expected: string): Promise<number>;
}

/** Defines Sentinel's scripts on `client` (idempotent) and returns it typed with them. */
export function defineSentinelScripts(client: Redis): ScriptedRedis {
  client.defineCommand('sentinelGetWithTtl', { numberOfKeys: 1, lua: GET_WITH_TTL });
  client.defineCommand('sentinelRefreshIf', { numberOfKeys: 1, lua: REFRESH_IF });
  client.defineCommand('sentinelDeleteIf', { numberOfKeys: 1, lua: DELETE_IF });
  return client as ScriptedRedis;
}

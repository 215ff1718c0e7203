import type { RedisConnection } from '../redis/create-redis-connection';

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

/**
 * Sentinel's scripts as commands (EVALSHA, falling back to EVAL once). Each touches exactly
 * one key (KEYS[1]), so under Cluster it runs on the master of that key's slot.
 */
export interface SentinelScripts {
  sentinelGetWithTtl(key: string): Promise<[string, number] | null>;
  sentinelRefreshIf(
    key: string,
    field: string,
    expected: string,
    ttl: number,
  ): Promise<string | null>;
  sentinelDeleteIf(key: string, field: string, expected: string): Promise<number>;
}

/** A connection with Sentinel's scripts defined on it. */
export type ScriptedRedis = RedisConnection & SentinelScripts;

/** Defines Sentinel's scripts on `client` (idempotent) and returns it typed with them. */
export function defineSentinelScripts(client: RedisConnection): ScriptedRedis {
  client.defineCommand('sentinelGetWithTtl', { numberOfKeys: 1, lua: GET_WITH_TTL });
  client.defineCommand('sentinelRefreshIf', { numberOfKeys: 1, lua: REFRESH_IF });
  client.defineCommand('sentinelDeleteIf', { numberOfKeys: 1, lua: DELETE_IF });
  return client as ScriptedRedis;
}

import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';

/**
 * The store's clock and the record reader shared by the scripts. `load` mirrors
 * parseDeploymentHealth: anything that is not a well-formed record reads as no record.
 */
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function count(v) return type(v) == 'number' and v == v and v >= 0 and v < math.huge end
local REASONS = { rate_limit = true, server = true, timeout = true, terminal = true }
local function load(raw)
  if not raw then return nil end
  local ok, doc = pcall(cjson.decode, raw)
  if not ok or type(doc) ~= 'table' then return nil end
  if not (count(doc.consecutive) and count(doc.opens) and count(doc.untilMs)
      and count(doc.lastFailureMs)) then return nil end
  local h = { consecutive = doc.consecutive, opens = doc.opens, untilMs = doc.untilMs,
              lastFailureMs = doc.lastFailureMs }
  if type(doc.reason) == 'string' and REASONS[doc.reason] then h.reason = doc.reason end
  if count(doc.probeUntilMs) then h.probeUntilMs = doc.probeUntilMs end
  return h
end
`;

/** Returns { seconds, microseconds, { field, value, ... } }. */
const SNAPSHOT = `
local t = redis.call('TIME')
return { t[1], t[2], redis.call('HGETALL', KEYS[1]) }
`;

/**
 * recordFailure of cooldown.ts, line for line. ARGV: id, class, retryAfterMs ('' = none),
 * consecutiveFailures, cooldownInitialS, cooldownMultiplier, cooldownMaxS, terminalCooldownS,
 * random in [0, 1), memoryMs. Returns the stored JSON.
 */
const FAIL = `${PRELUDE}
local id, cls, retryAfter = ARGV[1], ARGV[2], tonumber(ARGV[3])
local threshold, initial, mult = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxS, terminalS, r, memoryMs = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]),
  tonumber(ARGV[10])
local h = load(redis.call('HGET', KEYS[1], id))
if h and h.untilMs <= 0 and now - h.lastFailureMs > memoryMs then h = nil end
local consecutive = (h and h.consecutive or 0) + 1
local opens = h and h.opens or 0
local untilMs = h and h.untilMs or 0
local open = untilMs > now
local nxt = { consecutive = consecutive, opens = opens, untilMs = untilMs, lastFailureMs = now }
if h and h.reason then nxt.reason = h.reason end
if h and h.probeUntilMs then nxt.probeUntilMs = h.probeUntilMs end
local trips = (untilMs > 0 and not open) or consecutive >= threshold
local level = open and math.max(opens, 1) or opens + 1
local deadline = nil
if initial > 0 then
  local maxMs = maxS * 1000
  if cls == 'terminal' then
    deadline = now + math.floor(terminalS * 1000)
  elseif cls == 'rate_limit' and retryAfter then
    deadline = now + math.floor(math.min(math.max(retryAfter, math.min(1000, maxMs)), maxMs))
  elseif trips then
    deadline = now + math.floor(math.min(initial * mult ^ (level - 1), maxS) * 1000 * (0.8 + 0.4 * r))
  end
end
if deadline then
  if open then
    if deadline > untilMs then
      nxt.untilMs = deadline
      nxt.reason = cls
    end
  else
    nxt.probeUntilMs = nil
    nxt.opens = opens + 1
    nxt.untilMs = deadline
    nxt.reason = cls
  end
end
local encoded = cjson.encode(nxt)
redis.call('HSET', KEYS[1], id, encoded)
return encoded
`;

/** acquireProbeLease of cooldown.ts. ARGV: id, leaseMs. Returns 1 when granted. */
const PROBE = `${PRELUDE}
local h = load(redis.call('HGET', KEYS[1], ARGV[1]))
if not h or h.untilMs <= 0 then return 1 end
if now < h.untilMs then return 0 end
if h.probeUntilMs and now < h.probeUntilMs then return 0 end
h.probeUntilMs = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(h))
return 1
`;

type Client = Redis | Cluster;

/** The client with the health scripts as commands; each touches only KEYS[1] (Cluster-safe). */
export type HealthScriptedRedis = Client & {
  sentinelHealthSnapshot(key: string): Promise<[string, string, string[]]>;
  sentinelHealthFail(key: string, ...args: string[]): Promise<string>;
  sentinelHealthProbe(key: string, id: string, leaseMs: string): Promise<number>;
};

/** Defines the health scripts on `client` (idempotent) and returns it typed with them. */
export function defineHealthScripts(client: Client): HealthScriptedRedis {
  client.defineCommand('sentinelHealthSnapshot', { numberOfKeys: 1, lua: SNAPSHOT });
  client.defineCommand('sentinelHealthFail', { numberOfKeys: 1, lua: FAIL });
  client.defineCommand('sentinelHealthProbe', { numberOfKeys: 1, lua: PROBE });
  return client as HealthScriptedRedis;
}

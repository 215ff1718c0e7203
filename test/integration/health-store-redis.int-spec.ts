import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { CacheUnavailableError } from '../../src/cache/cache-unavailable.error';
import { createRedisConnection } from '../../src/redis/create-redis-connection';
import { describeHealthStoreContract } from '../../src/routing/health/health-store.contract';
import { HEALTH_KEY } from '../../src/routing/health/health-store.interface';
import { RedisHealthStore } from '../../src/routing/health/redis-health.store';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';

const PREFIX = 'test:';
let server: RedisServerHandle;
let raw: Redis;
const clients: Redis[] = [];

async function connect(): Promise<Redis> {
  const client = createRedisConnection({
    mode: 'standalone',
    url: server.url,
    username: undefined,
    password: undefined,
    tls: false,
    keyPrefix: PREFIX,
    commandTimeoutMs: 300,
    connectTimeoutMs: 1_000,
  }) as Redis;
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

async function redisNow(): Promise<number> {
  const [seconds, micros] = await raw.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url, { lazyConnect: true });
  await raw.connect();
});
afterEach(() => {
  clients.splice(0).forEach((client) => client.disconnect());
});
afterAll(async () => {
  raw.disconnect();
  await server.stop();
});

describeHealthStoreContract('RedisHealthStore', async (random) => {
  await raw.flushall();
  const store = new RedisHealthStore(await connect(), { random });
  return {
    store,
    writeRaw: async (id, value) => {
      await raw.hset(PREFIX + HEALTH_KEY, id, value);
    },
    storeNow: redisNow,
    cleanup: () => store.shutdown(),
  };
});

describe('RedisHealthStore against a real redis-server', () => {
  beforeEach(async () => {
    await raw.flushall();
  });
  afterEach(() => jest.restoreAllMocks());

  const policy = {
    consecutiveFailures: 1,
    cooldownInitialS: 30,
    cooldownMultiplier: 2,
    cooldownMaxS: 300,
    terminalCooldownS: 300,
  };

  it('keeps every deployment in one hash, field = id, value = the JSON record', async () => {
    const store = new RedisHealthStore(await connect(), { random: () => 0.5 });
    const stored = await store.recordFailure('oai-mini-us', { cls: 'server' }, policy);
    await store.recordFailure('claude-sonnet', { cls: 'terminal' }, policy);
    await expect(raw.keys('*')).resolves.toEqual([PREFIX + HEALTH_KEY]);
    await expect(raw.type(PREFIX + HEALTH_KEY)).resolves.toBe('hash');
    const field = await raw.hget(PREFIX + HEALTH_KEY, 'oai-mini-us');
    expect(JSON.parse(field ?? '')).toEqual(stored);
    await expect(raw.ttl(PREFIX + HEALTH_KEY)).resolves.toBe(-1);
  });

  it("deadlines are on Redis's clock, whatever this process's clock says", async () => {
    const store = new RedisHealthStore(await connect(), { random: () => 0.5 });
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2001, 0, 1));
    const stored = await store.recordFailure('a', { cls: 'server' }, policy);
    const snapshot = await store.snapshot();
    jest.restoreAllMocks();
    const now = await redisNow();
    expect(Math.abs(stored.lastFailureMs - now)).toBeLessThan(1_000);
    expect(stored.untilMs - stored.lastFailureMs).toBe(30_000);
    expect(Math.abs(snapshot.nowMs - now)).toBeLessThan(1_000);
  });

  it('two instances on two connections see one health: a failure on A is in B’s next snapshot', async () => {
    const a = new RedisHealthStore(await connect());
    const b = new RedisHealthStore(await connect());
    const stored = await a.recordFailure('shared', { cls: 'terminal' }, policy);
    expect((await b.snapshot()).entries.get('shared')).toEqual(stored);
    await expect(b.acquireProbe('shared', 1_000)).resolves.toBe(false);
    await b.recordSuccess('shared');
    expect((await a.snapshot()).entries.size).toBe(0);
  });

  it('the scripts still run after Redis forgets them (EVALSHA falls back to EVAL)', async () => {
    const store = new RedisHealthStore(await connect());
    await store.snapshot();
    await raw.script('FLUSH');
    await expect(store.recordFailure('a', { cls: 'server' }, policy)).resolves.toMatchObject({
      opens: 1,
    });
    await raw.script('FLUSH');
    await expect(store.acquireProbe('a', 1_000)).resolves.toBe(false);
  });

  it('an unreadable record is reported once per id, without its value', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const store = new RedisHealthStore(await connect());
    await raw.hset(PREFIX + HEALTH_KEY, 'old-id', 'secret-looking-garbage');
    for (let i = 0; i < 5; i++) await store.snapshot();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('"old-id"');
    expect(String(warn.mock.calls[0][0])).not.toContain('garbage');
  });

  it('a stopped server rejects every operation promptly with CacheUnavailableError', async () => {
    const store = new RedisHealthStore(await connect());
    await server.stop();
    try {
      const started = Date.now();
      for (const operation of [
        store.snapshot(),
        store.recordFailure('a', { cls: 'server' }, policy),
        store.recordSuccess('a'),
        store.acquireProbe('a', 1_000),
      ]) {
        await expect(operation).rejects.toBeInstanceOf(CacheUnavailableError);
      }
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await server.restart();
      await raw.connect().catch(() => undefined);
    }
  });
});

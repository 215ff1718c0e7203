import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { describeCacheBackendContract } from '../../src/cache/cache-backend.contract';
import { CacheUnavailableError } from '../../src/cache/cache-unavailable.error';
import { RedisCacheBackend } from '../../src/cache/redis-cache.backend';
import { createRedisConnection } from '../../src/redis/create-redis-connection';
import { RedisConnectionConfig } from '../../src/redis/redis-connection.config';
import { freePort, RedisServerHandle, startRedisServer } from '../support/redis-server';
import { SHIFT_TTLS } from '../support/shift-redis-ttls';

let server: RedisServerHandle;
let raw: Redis;
const opened: RedisCacheBackend[] = [];

type StandaloneConfig = Extract<RedisConnectionConfig, { mode: 'standalone' }>;
const redisConfig = (overrides: Partial<StandaloneConfig> = {}): StandaloneConfig => ({
  mode: 'standalone',
  url: server.url,
  username: undefined,
  password: undefined,
  tls: false,
  keyPrefix: 'test:',
  commandTimeoutMs: 300,
  connectTimeoutMs: 1_000,
  ...overrides,
});

async function connectBackend(
  overrides?: Partial<StandaloneConfig>,
): Promise<{ backend: RedisCacheBackend; client: Redis }> {
  const client = createRedisConnection(redisConfig(overrides)) as Redis;
  await client.connect();
  const { commandTimeoutMs } = redisConfig(overrides);
  const backend = new RedisCacheBackend(client, { ownsClient: true, commandTimeoutMs });
  opened.push(backend);
  return { backend, client };
}

async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url, { lazyConnect: true });
  await raw.connect();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.shutdown()));
});
afterAll(async () => {
  raw.disconnect();
  await server.stop();
});

describeCacheBackendContract('RedisCacheBackend', async () => {
  await raw.flushall();
  const { backend } = await connectBackend();
  const advanceTime = async (ms: number): Promise<void> => {
    await raw.eval(SHIFT_TTLS, 0, ms);
  };
  return { backend, advanceTime, cleanup: () => backend.shutdown() };
});

describe('RedisCacheBackend against a real redis-server', () => {
  let logError: jest.SpyInstance;
  beforeEach(async () => {
    await raw.flushall();
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('stores the record and its TTL under the prefixed key, as another client sees it', async () => {
    const { backend } = await connectBackend({ keyPrefix: 'tenant-a:' });
    const record = JSON.stringify({ id: 'c1', provider: 'openai', external_id: 'alice' });
    await backend.setIfAbsent('sentinel:session:c1', record, 86_400);
    await expect(raw.get('tenant-a:sentinel:session:c1')).resolves.toBe(record);
    await expect(raw.get('sentinel:session:c1')).resolves.toBeNull();
    const pttl = await raw.pttl('tenant-a:sentinel:session:c1');
    expect(pttl).toBeGreaterThan(86_399_000);
    expect(pttl).toBeLessThanOrEqual(86_400_000);
  });

  it('setIfAbsent reports the value another client wrote, never its own candidate', async () => {
    const { backend } = await connectBackend();
    await raw.set('test:k', 'theirs', 'EX', 60);
    await expect(backend.setIfAbsent('k', 'ours', 60)).resolves.toEqual({
      stored: false,
      value: 'theirs',
    });
    await expect(raw.get('test:k')).resolves.toBe('theirs');
  });

  it('get reports ttlMs -1 for a key written without expiry', async () => {
    const { backend } = await connectBackend();
    await raw.set('test:forever', 'v');
    await expect(backend.get('forever')).resolves.toEqual({ value: 'v', ttlMs: -1 });
  });

  it("a 1-second TTL runs out on Redis's own clock", async () => {
    const { backend } = await connectBackend();
    await backend.set('short', 'v', 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await expect(backend.get('short')).resolves.not.toBeNull();
    const waited = await eventually(async () => expect(await backend.get('short')).toBeNull());
    expect(waited).toBeLessThan(800);
  });

  it('conditional scripts still run after Redis forgets them (EVALSHA falls back)', async () => {
    const { backend } = await connectBackend();
    const owner = { field: 'external_id', equals: 'alice' };
    await backend.set('s', JSON.stringify({ external_id: 'alice' }), 10);
    await backend.getAndRefresh('s', 10, owner);
    await raw.script('FLUSH');
    await expect(backend.getAndRefresh('s', 30, owner)).resolves.toContain('alice');
    await expect(raw.pttl('test:s')).resolves.toBeGreaterThan(29_000);
    await expect(backend.delete('s', owner)).resolves.toBe(true);
  });

  it('a stopped server fails every operation fast with CacheUnavailableError, then recovers by itself', async () => {
    const { backend } = await connectBackend();
    await server.stop();
    const started = Date.now();
    const failure = await backend.ping().catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(failure).toBeInstanceOf(CacheUnavailableError);
    expect(String((failure as Error).message)).not.toContain(String(server.port));
    for (const operation of [
      backend.get('k'),
      backend.set('k', 'v', 60),
      backend.setIfAbsent('k', 'v', 60),
      backend.getAndRefresh('k', 60, { field: 'a', equals: 'b' }),
      backend.delete('k'),
    ]) {
      await expect(operation).rejects.toBeInstanceOf(CacheUnavailableError);
    }
    await server.restart();
    const recoveredIn = await eventually(() => backend.ping());
    expect(recoveredIn).toBeLessThan(3_000);
    await backend.set('k', 'v', 60);
    await expect(backend.get('k')).resolves.toMatchObject({ value: 'v' });
  });

  it('a hung server (SIGSTOP) fails commands within the command timeout', async () => {
    const { backend } = await connectBackend({ commandTimeoutMs: 200 });
    server.pause();
    try {
      const started = Date.now();
      await expect(backend.get('k')).rejects.toBeInstanceOf(CacheUnavailableError);
      expect(Date.now() - started).toBeLessThan(600);
    } finally {
      server.resume();
    }
    await eventually(() => backend.ping());
  });

  it('logs connection errors at most once per 5 s, without URL, port or password', async () => {
    const port = await freePort();
    const url = `redis://:s3cret-pw@127.0.0.1:${port}`;
    const client = createRedisConnection(redisConfig({ url }));
    const backend = new RedisCacheBackend(client, { ownsClient: true, commandTimeoutMs: 300 });
    const unhandled = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let attempts = 0;
    client.on('reconnecting', () => attempts++);
    await expect(client.connect()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(logError).toHaveBeenCalledTimes(1);
    const line = String(logError.mock.calls[0][0]);
    expect(line).toContain('ECONNREFUSED');
    for (const secret of ['s3cret', String(port), 'redis://']) expect(line).not.toContain(secret);
    expect(unhandled).not.toHaveBeenCalled();
    await backend.shutdown();
    const attemptsAtShutdown = attempts;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(attempts).toBe(attemptsAtShutdown);
  });

  it('shutdown quits a client it owns and leaves a borrowed one open', async () => {
    const { backend, client } = await connectBackend();
    await backend.shutdown();
    expect(client.status).toBe('end');
    const borrowed = createRedisConnection(redisConfig());
    await borrowed.connect();
    await new RedisCacheBackend(borrowed, { ownsClient: false, commandTimeoutMs: 300 }).shutdown();
    await expect(borrowed.ping()).resolves.toBe('PONG');
    await borrowed.quit();
  });

  it('shutdown drops the connection when QUIT gets no answer from a hung server', async () => {
    const { backend, client } = await connectBackend({ commandTimeoutMs: 200 });
    server.pause();
    try {
      const started = Date.now();
      await backend.shutdown();
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(client.status).toBe('end');
    } finally {
      server.resume();
    }
  });

  it('REDIS_PASSWORD wins over a password in the URL', async () => {
    await raw.config('SET', 'requirepass', 'right-pw');
    try {
      const url = server.url.replace('redis://', 'redis://:wrong-pw@');
      const urlOnly = createRedisConnection(redisConfig({ url }));
      const errors: string[] = [];
      urlOnly.on('error', (error: Error) => errors.push(error.message));
      try {
        await expect(urlOnly.connect()).rejects.toThrow();
      } finally {
        urlOnly.disconnect();
      }
      expect(errors.join('\n')).toContain('WRONGPASS');
      const { backend } = await connectBackend({ url, password: 'right-pw' });
      await expect(backend.ping()).resolves.toBeUndefined();
    } finally {
      await raw.config('SET', 'requirepass', '');
    }
  });
});

import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { CACHE_BACKEND, CacheBackend } from '../../src/cache/cache-backend.interface';
import { CacheModule } from '../../src/cache/cache.module';
import { CacheUnavailableError } from '../../src/cache/cache-unavailable.error';
import { AppConfigModule } from '../../src/config/app-config.module';
import { freePort, RedisServerHandle, startRedisServer } from '../support/redis-server';

const ENV_KEYS = ['CACHE_BACKEND', 'REDIS_URL', 'REDIS_COMMAND_TIMEOUT_MS', 'REDIS_KEY_PREFIX'];

describe('CacheModule', () => {
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  let moduleRef: TestingModule | undefined;
  let server: RedisServerHandle | undefined;
  let warn: jest.SpyInstance;

  async function boot(env: Record<string, string>): Promise<CacheBackend> {
    Object.assign(process.env, env);
    moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, CacheModule],
    }).compile();
    await moduleRef.init();
    return moduleRef.get<CacheBackend>(CACHE_BACKEND);
  }

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await moduleRef?.close();
    await server?.stop();
    moduleRef = undefined;
    server = undefined;
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    jest.restoreAllMocks();
  });

  it('provides the in-memory backend when CACHE_BACKEND=memory', async () => {
    const cache = await boot({ CACHE_BACKEND: 'memory' });
    expect(cache.kind).toBe('memory');
    await cache.set('k', 'v', 60);
    await expect(cache.get('k')).resolves.toMatchObject({ value: 'v' });
  });

  it('with Redis up, the backend answers as soon as the app has booted', async () => {
    server = await startRedisServer();
    const cache = await boot({ CACHE_BACKEND: 'redis', REDIS_URL: server.url });
    expect(cache.kind).toBe('redis');
    await expect(cache.ping()).resolves.toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('boots with Redis down, fails fast meanwhile, and serves once Redis starts', async () => {
    const port = await freePort();
    const started = Date.now();
    const cache = await boot({
      CACHE_BACKEND: 'redis',
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_COMMAND_TIMEOUT_MS: '200',
      REDIS_KEY_PREFIX: 'it:',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not reachable'));
    await expect(cache.ping()).rejects.toBeInstanceOf(CacheUnavailableError);

    server = await startRedisServer({ port });
    await waitFor(() => cache.ping(), 3_000);
    await cache.set('k', 'v', 60);
    const raw = new Redis(server.url);
    try {
      await expect(raw.get('it:k')).resolves.toBe('v');
      await moduleRef?.close();
      moduleRef = undefined;
      // The app's own connection is gone once the module has shut down.
      await waitFor(async () => {
        const clients = await raw.client('LIST');
        expect(String(clients)).not.toContain('name=sentinel');
      }, 1_000);
    } finally {
      raw.disconnect();
    }
  });
});

async function waitFor(check: () => unknown, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

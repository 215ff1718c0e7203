import { ConfigType } from '@nestjs/config';
import { cacheConfig } from '../config/cache.config';
import { createCacheBackend } from './cache-backend.provider';
import { InMemoryCacheBackend } from './in-memory-cache.backend';

type Config = ConfigType<typeof cacheConfig>;

const config = (backend: string): Config => ({
  backend: backend as Config['backend'],
  redis: {
    mode: 'standalone',
    url: 'redis://127.0.0.1:6399',
    username: undefined,
    password: undefined,
    tls: false,
    keyPrefix: '',
    commandTimeoutMs: 250,
    connectTimeoutMs: 1_000,
  },
  memory: { maxEntries: 10 },
});

describe('createCacheBackend', () => {
  it('builds the in-memory backend with the configured capacity when CACHE_BACKEND=memory', async () => {
    const backend = await createCacheBackend(config('memory'));
    expect(backend).toBeInstanceOf(InMemoryCacheBackend);
    for (let i = 0; i < 11; i++) await backend.set(`k${i}`, 'v', 60);
    expect((backend as InMemoryCacheBackend).size).toBe(10);
    await backend.shutdown();
  });

  it('refuses a backend kind it does not know (config that skipped validation)', async () => {
    await expect(createCacheBackend(config('memcached'))).rejects.toThrow(
      'Unknown cache backend: memcached',
    );
  });
});

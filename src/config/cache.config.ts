import { registerAs } from '@nestjs/config';
import { loadEnv } from './validate-env';

export const cacheConfig = registerAs('cache', () => {
  const env = loadEnv();
  return {
    backend: env.CACHE_BACKEND,
    redis: {
      url: env.REDIS_URL,
      password: env.REDIS_PASSWORD,
      keyPrefix: env.REDIS_KEY_PREFIX ?? '',
      commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
    },
    memory: { maxEntries: env.MEMORY_CACHE_MAX_ENTRIES },
  };
});
export type CacheConfig = ReturnType<typeof cacheConfig>;

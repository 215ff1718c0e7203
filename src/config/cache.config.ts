import { registerAs } from '@nestjs/config';
import { toRedisConnectionConfig } from '../redis/redis-connection.config';
import { loadEnv } from './validate-env';

export const cacheConfig = registerAs('cache', () => {
  const env = loadEnv();
  return {
    backend: env.CACHE_BACKEND,
    redis: toRedisConnectionConfig(env),
    memory: { maxEntries: env.MEMORY_CACHE_MAX_ENTRIES },
  };
});
export type CacheConfig = ReturnType<typeof cacheConfig>;

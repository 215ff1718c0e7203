import { FactoryProvider, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { cacheConfig } from '../config/cache.config';
import { CACHE_BACKEND, CacheBackend } from './cache-backend.interface';
import { createRedisConnection } from '../redis/create-redis-connection';
import { fulfilsWithin } from './fulfils-within';
import { InMemoryCacheBackend } from './in-memory-cache.backend';
import { RedisCacheBackend } from './redis-cache.backend';

const logger = new Logger('CacheModule');

/**
 * Builds the configured backend. The Redis client is created and connected here, never at
 * import time. Boot waits for the connection (bounded by the connect timeout) so the first
 * requests find it ready, but a Redis that is down does not stop the app: the client keeps
 * reconnecting and operations reject with CacheUnavailableError until it answers.
 */
export async function createCacheBackend(
  config: ConfigType<typeof cacheConfig>,
): Promise<CacheBackend> {
  const backend = config.backend;
  switch (backend) {
    case 'memory':
      return new InMemoryCacheBackend({ maxEntries: config.memory.maxEntries });
    case 'redis': {
      const client = createRedisConnection(config.redis);
      const redisBackend = new RedisCacheBackend(client, {
        ownsClient: true,
        commandTimeoutMs: config.redis.commandTimeoutMs,
      });
      const connected = await fulfilsWithin(client.connect(), config.redis.connectTimeoutMs);
      if (!connected) logger.warn('Redis is not reachable yet; retrying in the background');
      return redisBackend;
    }
    default: {
      const _never: never = backend;
      throw new Error(`Unknown cache backend: ${String(_never)}`);
    }
  }
}

export const cacheBackendProvider: FactoryProvider<CacheBackend> = {
  provide: CACHE_BACKEND,
  useFactory: createCacheBackend,
  inject: [cacheConfig.KEY],
};

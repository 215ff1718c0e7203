import { Logger, type FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createRedisConnection } from '../../redis/create-redis-connection';
import { fulfilsWithin } from '../../cache/fulfils-within';
import { cacheConfig } from '../../config/cache.config';
import { HEALTH_STORE, type HealthStore } from './health-store.interface';
import { InMemoryHealthStore } from './in-memory-health.store';
import { RedisHealthStore } from './redis-health.store';

const logger = new Logger('HealthStore');

/**
 * The shared health store on the same backend as sessions (CACHE_BACKEND): in process, or one
 * hash in Redis on a connection of its own, which shutdown closes.
 */
export async function createHealthStore(
  config: ConfigType<typeof cacheConfig>,
): Promise<HealthStore> {
  const backend = config.backend;
  switch (backend) {
    case 'memory':
      return new InMemoryHealthStore();
    case 'redis': {
      // Its own name: operators (and tests) tell the background health sync from request traffic.
      const client = createRedisConnection(config.redis, 'sentinel-health');
      // Connection errors are logged by the session store's client, which shares the server.
      client.on('error', () => undefined);
      const store = new RedisHealthStore(client, {
        commandTimeoutMs: config.redis.commandTimeoutMs,
      });
      const connected = await fulfilsWithin(client.connect(), config.redis.connectTimeoutMs);
      if (!connected) logger.warn('Redis is not reachable yet: routing starts from local health');
      const shutdown = store.shutdown.bind(store);
      store.shutdown = async (): Promise<void> => {
        await shutdown();
        const quit = await fulfilsWithin(client.quit(), 1_000);
        if (!quit) client.disconnect();
      };
      return store;
    }
    default: {
      const _never: never = backend;
      throw new Error(`Unknown cache backend: ${String(_never)}`);
    }
  }
}

export const healthStoreProvider: FactoryProvider<HealthStore> = {
  provide: HEALTH_STORE,
  useFactory: createHealthStore,
  inject: [cacheConfig.KEY],
};

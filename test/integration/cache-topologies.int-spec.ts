import Redis, { Cluster } from 'ioredis';
import { describeCacheBackendContract } from '../../src/cache/cache-backend.contract';
import { RedisCacheBackend } from '../../src/cache/redis-cache.backend';
import { describeHealthStoreContract } from '../../src/routing/health/health-store.contract';
import { HEALTH_KEY } from '../../src/routing/health/health-store.interface';
import { RedisHealthStore } from '../../src/routing/health/redis-health.store';
import { createRedisConnection } from '../../src/redis/create-redis-connection';
import { RedisConnectionConfig } from '../../src/redis/redis-connection.config';
import { parseHostPorts } from '../../src/config/parse-host-ports';
import { RedisClusterHandle, startRedisCluster } from '../support/redis-cluster';
import { RedisSentinelHandle, startRedisSentinel } from '../support/redis-sentinel';
import { SHIFT_TTLS } from '../support/shift-redis-ttls';

/**
 * The same CacheBackend contract the in-memory and standalone backends pass, on a real
 * 3 + 3 Redis Cluster and a real primary + replica + 3 sentinels (loopback, this process's
 * own servers): every operation touches one key, so it works on any slot.
 */
jest.setTimeout(60_000);

const common = {
  username: undefined,
  password: undefined,
  tls: false,
  keyPrefix: 'test:',
  commandTimeoutMs: 2_000,
  connectTimeoutMs: 1_000,
};

async function connect(config: RedisConnectionConfig): Promise<RedisCacheBackend> {
  const connection = createRedisConnection(config);
  await connection.connect();
  return new RedisCacheBackend(connection, {
    ownsClient: true,
    commandTimeoutMs: config.commandTimeoutMs,
  });
}

describe('Redis Cluster (3 masters + 3 replicas)', () => {
  let cluster: RedisClusterHandle;
  let raw: Cluster;
  const config = (): RedisConnectionConfig => ({
    ...common,
    mode: 'cluster',
    nodes: parseHostPorts(cluster.seeds.join(',')),
  });

  beforeAll(async () => {
    cluster = await startRedisCluster();
    raw = new Cluster(parseHostPorts(cluster.seeds.join(',')), { lazyConnect: true });
    await raw.connect();
  });
  afterAll(async () => {
    raw?.disconnect();
    await cluster?.stop();
  });
  const eachMaster = (run: (node: Redis) => Promise<unknown>): Promise<unknown> =>
    Promise.all(raw.nodes('master').map(run));

  describeHealthStoreContract('RedisHealthStore on a cluster', async (random) => {
    await eachMaster((node) => node.flushall());
    const connection = createRedisConnection(config(), 'sentinel-health');
    await connection.connect();
    const store = new RedisHealthStore(connection, { random, commandTimeoutMs: 2_000 });
    return {
      store,
      writeRaw: async (id, value) => {
        await raw.hset(`test:${HEALTH_KEY}`, id, value);
      },
      storeNow: async () => {
        const [seconds, micros] = await raw.nodes('master')[0].time();
        return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      },
      cleanup: async () => {
        await store.shutdown();
        connection.disconnect();
      },
    };
  });

  describeCacheBackendContract('RedisCacheBackend on a cluster', async () => {
    await eachMaster((node) => node.flushall());
    const backend = await connect(config());
    const advanceTime = async (ms: number): Promise<void> => {
      await eachMaster((node) => node.eval(SHIFT_TTLS, 0, ms));
    };
    return { backend, advanceTime, cleanup: () => backend.shutdown() };
  });

  it('sessions spread over every master (no hash tag pins them to one slot)', async () => {
    const backend = await connect(config());
    try {
      for (let i = 0; i < 60; i++) await backend.set(`sentinel:session:c-${i}`, 'v', 60);
      const perMaster = (await eachMaster((node) => node.dbsize())) as number[];
      expect(perMaster).toHaveLength(3);
      for (const keys of perMaster) expect(keys).toBeGreaterThan(5);
      await expect(backend.ping()).resolves.toBeUndefined();
    } finally {
      await backend.shutdown();
    }
  });
});

describe('Redis Sentinel (primary + replica + 3 sentinels)', () => {
  let topology: RedisSentinelHandle;
  let raw: Redis;
  const config = (): RedisConnectionConfig => ({
    ...common,
    mode: 'sentinel',
    sentinels: parseHostPorts(topology.sentinels.join(',')),
    name: topology.name,
    sentinelPassword: undefined,
  });

  beforeAll(async () => {
    topology = await startRedisSentinel();
    raw = new Redis({ host: '127.0.0.1', port: await topology.primaryPort(), lazyConnect: true });
    await raw.connect();
  });
  afterAll(async () => {
    raw?.disconnect();
    await topology?.stop();
  });

  describeCacheBackendContract('RedisCacheBackend through sentinels', async () => {
    await raw.flushall();
    const backend = await connect(config());
    const advanceTime = async (ms: number): Promise<void> => {
      await raw.eval(SHIFT_TTLS, 0, ms);
    };
    return { backend, advanceTime, cleanup: () => backend.shutdown() };
  });

  it('writes land on the primary the sentinels name', async () => {
    const backend = await connect(config());
    try {
      await backend.set('sentinel:session:s-1', 'bound', 60);
      await expect(raw.get('test:sentinel:session:s-1')).resolves.toBe('bound');
    } finally {
      await backend.shutdown();
    }
  });
});

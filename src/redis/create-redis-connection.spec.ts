import Redis, { Cluster } from 'ioredis';
import { createRedisConnection, RedisConnection } from './create-redis-connection';
import { RedisConnectionConfig } from './redis-connection.config';

const common = {
  username: undefined,
  password: undefined,
  tls: false,
  keyPrefix: 'sentinel-test:',
  commandTimeoutMs: 250,
  connectTimeoutMs: 900,
};
const standalone = (overrides: Partial<RedisConnectionConfig> = {}): RedisConnectionConfig =>
  ({
    ...common,
    mode: 'standalone',
    url: 'redis://127.0.0.1:6399',
    ...overrides,
  }) as RedisConnectionConfig;
const nodes = [
  { host: '127.0.0.1', port: 7000 },
  { host: '127.0.0.1', port: 7001 },
];

describe('createRedisConnection', () => {
  const opened: RedisConnection[] = [];
  const create = (config: RedisConnectionConfig): RedisConnection => {
    const connection = createRedisConnection(config);
    opened.push(connection);
    return connection;
  };
  afterEach(() => opened.splice(0).forEach((connection) => connection.disconnect()));

  it('does not connect until asked, in any mode, so building the app never waits for Redis', () => {
    expect(create(standalone()).status).toBe('wait');
    expect(create({ ...common, mode: 'cluster', nodes }).status).toBe('wait');
    expect(
      create({ ...common, mode: 'sentinel', sentinels: nodes, name: 'm', sentinelPassword: 'x' })
        .status,
    ).toBe('wait');
  });

  it('standalone fails fast: no offline queue, one retry, bounded connect, no ioredis command timer', () => {
    const { options } = create(standalone()) as Redis;
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 900,
      autoResendUnfulfilledCommands: false,
      keyPrefix: 'sentinel-test:',
    });
    // The backend bounds commands itself: a busy loop must not fire a timer before a reply.
    expect(options.commandTimeout).toBeUndefined();
  });

  it('reconnects with a backoff that doubles from 100 ms and stays at 1 s', () => {
    const { retryStrategy } = (create(standalone()) as Redis).options;
    expect([1, 2, 3, 4, 5, 50].map((attempt) => retryStrategy?.(attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('uses TLS for rediss:// URLs or REDIS_TLS=true only', () => {
    expect(
      (create(standalone({ url: 'rediss://cache.example.com:6380' })) as Redis).options.tls,
    ).toBeTruthy();
    expect((create(standalone({ tls: true })) as Redis).options.tls).toEqual({});
    expect((create(standalone()) as Redis).options.tls).toBeUndefined();
  });

  it('lets REDIS_PASSWORD and REDIS_USERNAME override the URL, and keeps the URL ones otherwise', () => {
    const url = 'redis://app:from-url@127.0.0.1:6399';
    const overridden = create(standalone({ url, password: 'from-env', username: 'svc' })) as Redis;
    expect(overridden.options).toMatchObject({ password: 'from-env', username: 'svc' });
    expect((create(standalone({ url })) as Redis).options).toMatchObject({
      password: 'from-url',
      username: 'app',
    });
  });

  it('sentinel mode asks the named sentinels for the primary, follows failovers, and authenticates to both', () => {
    const { options } = create({
      ...common,
      username: 'svc',
      password: 'node-pw',
      tls: true,
      mode: 'sentinel',
      sentinels: nodes,
      name: 'sentinel-primary',
      sentinelPassword: 'sentinel-pw',
    }) as Redis;
    expect(options).toMatchObject({
      sentinels: nodes,
      name: 'sentinel-primary',
      role: 'master',
      username: 'svc',
      password: 'node-pw',
      sentinelPassword: 'sentinel-pw',
      failoverDetector: true,
      enableOfflineQueue: false,
      enableTLSForSentinelMode: true,
      tls: {},
    });
    expect(
      options.reconnectOnError?.(
        new Error("READONLY You can't write against a read only replica."),
      ),
    ).toBe(true);
    expect(options.reconnectOnError?.(new Error('ERR unknown command'))).toBe(false);
  });

  it('cluster mode reads from masters and retries redirections for longer than a promotion takes', () => {
    const cluster = create({
      ...common,
      password: 'pw',
      tls: true,
      mode: 'cluster',
      nodes,
    }) as Cluster;
    const { options } = cluster;
    expect(options).toMatchObject({
      scaleReads: 'master',
      enableOfflineQueue: false,
      keyPrefix: 'sentinel-test:',
      redisOptions: expect.objectContaining({ password: 'pw', tls: {}, maxRetriesPerRequest: 1 }),
    });
    expect((options.retryDelayOnFailover ?? 0) * (options.maxRedirections ?? 0)).toBeGreaterThan(
      4_000,
    );
    expect(options.redisOptions?.commandTimeout).toBeUndefined();
  });
});

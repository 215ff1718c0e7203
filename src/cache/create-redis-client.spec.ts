import Redis from 'ioredis';
import { CacheConfig } from '../config/cache.config';
import { createRedisClient } from './create-redis-client';

const config = (overrides: Partial<CacheConfig['redis']> = {}): CacheConfig['redis'] => ({
  url: 'redis://127.0.0.1:6399',
  password: undefined,
  keyPrefix: 'sentinel-test:',
  commandTimeoutMs: 250,
  connectTimeoutMs: 1_000,
  ...overrides,
});

describe('createRedisClient', () => {
  const clients: Redis[] = [];
  const create = (overrides?: Partial<CacheConfig['redis']>): Redis => {
    const client = createRedisClient(config(overrides));
    clients.push(client);
    return client;
  };
  afterEach(() => clients.splice(0).forEach((client) => client.disconnect()));

  it('does not connect until asked, so building the app never waits for Redis', () => {
    expect(create().status).toBe('wait');
  });

  it('fails fast: no offline queue, one retry, bounded command and connect times', () => {
    const { options } = create({ commandTimeoutMs: 200, connectTimeoutMs: 900 });
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 900,
      autoResendUnfulfilledCommands: false,
      keyPrefix: 'sentinel-test:',
    });
    // The backend bounds commands itself (a busy loop must not fire a timer before a reply).
    expect(options.commandTimeout).toBeUndefined();
  });

  it('reconnects with a backoff that doubles from 100 ms and stays at 1 s', () => {
    const { retryStrategy } = create().options;
    expect([1, 2, 3, 4, 5, 50].map((attempt) => retryStrategy?.(attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('uses TLS for rediss:// URLs only', () => {
    expect(create({ url: 'rediss://cache.example.com:6380' }).options.tls).toBeTruthy();
    expect(create().options.tls).toBeUndefined();
  });

  it('lets REDIS_PASSWORD override a password in the URL, and keeps the URL one otherwise', () => {
    const url = 'redis://:from-url@127.0.0.1:6399';
    expect(create({ url, password: 'from-env' }).options.password).toBe('from-env');
    expect(create({ url }).options.password).toBe('from-url');
  });
});

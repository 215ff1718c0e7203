import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { auth, BOB, createTestApp, TestApp } from '../support/create-test-app';
import { post } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';
import { describeStickiness } from '../support/stickiness-scenarios';

/** Two gateway instances on one real Redis: CACHE_BACKEND=redis exactly as in production. */
let redis: RedisServerHandle;
let upstream: RecordingUpstream;
let raw: Redis;
const apps: TestApp[] = [];

const redisEnv = (): Record<string, string> => ({
  CACHE_BACKEND: 'redis',
  REDIS_URL: redis.url,
  SESSION_TTL_SECONDS: '300',
  OPENAI_BASE_URL: upstream.url,
  OPENAI_API_KEY: 'sk-gateway-upstream-key',
});

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startRecordingUpstream();
  raw = new Redis(redis.url);
  for (let i = 0; i < 2; i++) apps.push(await createTestApp({ env: redisEnv(), cache: false }));
});

afterAll(async () => {
  for (const app of apps) await app.close();
  raw?.disconnect();
  await upstream?.close();
  await redis?.stop();
});

describeStickiness('Redis shared by two gateway instances', () =>
  Promise.resolve({ gateways: apps.map((a) => a.url), upstream }),
);

describe('the session record in Redis', () => {
  const chat = (i: number): string => `${apps[i].url}/native/v1/chat/completions`;
  const ask = (id: string, model?: string): Record<string, unknown> => ({
    ...(model === undefined ? {} : { model }),
    conversation_id: id,
    messages: [{ role: 'user', content: 'hi' }],
  });

  it('is the documented record under sentinel:session:{id}, naming its deployment, with the configured TTL', async () => {
    const id = `conv:${randomUUID()}`;
    const before = Math.floor(Date.now() / 1000);
    await post(chat(0), ask(id, 'openai/model-a'));
    const stored = JSON.parse((await raw.get(`sentinel:session:${id}`))!) as Record<
      string,
      unknown
    >;
    expect(stored).toEqual({
      id,
      provider: 'openai',
      model: 'model-a',
      deployment: 'openai',
      home_deployment: 'openai',
      external_id: 'alice',
      created_at: expect.any(Number) as unknown,
    });
    expect(stored.created_at).toBeGreaterThanOrEqual(before);
    const ttl = await raw.ttl(`sentinel:session:${id}`);
    expect(ttl).toBeGreaterThan(295);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('has its TTL reset by activity on either instance', async () => {
    const id = randomUUID();
    await post(chat(0), ask(id, 'openai/model-a'));
    await raw.expire(`sentinel:session:${id}`, 10);
    const res = await post(chat(1), ask(id));
    expect(res.headers.get('x-sentinel-session')).toBe('reused');
    expect(await raw.ttl(`sentinel:session:${id}`)).toBeGreaterThan(295);
  });

  it('is not refreshed by a foreign caller', async () => {
    const id = randomUUID();
    await post(chat(0), ask(id, 'openai/model-a'));
    await raw.expire(`sentinel:session:${id}`, 10);
    const res = await post(chat(1), ask(id, 'openai/model-b'), auth(BOB));
    expect(res.status).toBe(403);
    expect(await raw.ttl(`sentinel:session:${id}`)).toBeLessThanOrEqual(10);
    expect(JSON.parse((await raw.get(`sentinel:session:${id}`))!)).toMatchObject({
      model: 'model-a',
    });
  });

  it('loads a record written by another version, with extra and missing fields', async () => {
    const id = randomUUID();
    await raw.set(
      `sentinel:session:${id}`,
      JSON.stringify({
        provider: 'openai',
        model: 'legacy-model',
        external_id: 'alice',
        tier: 'x',
      }),
      'EX',
      100,
    );
    const res = await post(chat(1), ask(id, 'openai/model-new'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-model')).toBe('legacy-model');
  });

  it('replaces a corrupt record instead of failing every request', async () => {
    const id = randomUUID();
    await raw.set(`sentinel:session:${id}`, '{"truncated', 'EX', 100);
    const res = await post(chat(0), ask(id, 'openai/model-a'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-session')).toBe('created');
    expect(JSON.parse((await raw.get(`sentinel:session:${id}`))!)).toMatchObject({
      model: 'model-a',
    });
  });

  it('is gone after DELETE on the other instance', async () => {
    const id = randomUUID();
    await post(chat(0), ask(id, 'openai/model-a'));
    const del = await fetch(`${apps[1].url}/native/v1/sessions/${id}`, {
      method: 'DELETE',
      headers: auth(),
    });
    expect(del.status).toBe(204);
    expect(await raw.exists(`sentinel:session:${id}`)).toBe(0);
  });

  it('readiness includes the Redis ping', async () => {
    const res = await fetch(`${apps[0].url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      details: { cache: { status: 'up', backend: 'redis' } },
    });
  });
});

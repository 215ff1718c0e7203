import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../support/create-test-app';
import { post } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { MonitoredCommand, RedisCommandCounter } from '../support/redis-command-counter';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';

/**
 * README "Conversation stickiness": reading an existing session and refreshing it is one round trip to the store; a new
 * conversation needs at most two (the read that finds nothing, the set-if-absent); a stateless
 * request none. Counted with MONITOR on a real Redis, only the gateway's own connection.
 */
let redis: RedisServerHandle;
let upstream: RecordingUpstream;
let app: TestApp;
let counter: RedisCommandCounter;

const chat = (): string => `${app.url}/native/v1/chat/completions`;
const ask = (
  conversationId?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  model: 'openai/model-a',
  messages: [{ role: 'user', content: 'hi' }],
  ...(conversationId === undefined ? {} : { conversation_id: conversationId }),
  ...extra,
});

async function send(body: Record<string, unknown>, session: string): Promise<void> {
  const res = await post(chat(), body);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-sentinel-session')).toBe(session);
}

async function streamed(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(chat(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-alice-test-key' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-sentinel-session')).toBe('reused');
  expect(await res.text()).toContain('data: [DONE]');
}

const names = (commands: MonitoredCommand[]): string[] => commands.map(([name]) => name);

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startRecordingUpstream();
  app = await createTestApp({
    env: {
      CACHE_BACKEND: 'redis',
      REDIS_URL: redis.url,
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-gateway-upstream-key',
    },
    cache: false,
  });
  counter = await RedisCommandCounter.start(redis.url);
  // The first use of each script on a connection sends its source (EVAL): warm both paths.
  const warm = randomUUID();
  await send(ask(warm), 'created');
  await send(ask(warm), 'reused');
});

afterAll(async () => {
  await counter?.stop();
  await app?.close();
  await upstream?.close();
  await redis?.stop();
});

describe('session store round trips per request (Redis)', () => {
  it('a stateless request sends nothing to Redis', async () => {
    const commands = await counter.count(async () => {
      for (let i = 0; i < 5; i++) await send(ask(), 'none');
    });
    expect(commands).toEqual([]);
  });

  it('a request on an existing conversation is exactly one command', async () => {
    const id = randomUUID();
    await send(ask(id), 'created');
    const commands = await counter.count(async () => {
      for (let i = 0; i < 5; i++) await send(ask(id), 'reused');
    });
    expect(names(commands)).toEqual(['evalsha', 'evalsha', 'evalsha', 'evalsha', 'evalsha']);
  });

  it('a streamed request on an existing conversation is exactly one command', async () => {
    const id = randomUUID();
    await send(ask(id), 'created');
    const commands = await counter.count(() => streamed(ask(id)));
    expect(names(commands)).toEqual(['evalsha']);
  });

  it('a new conversation takes two commands: the read that finds nothing, then SET NX', async () => {
    const commands = await counter.count(async () => {
      for (let i = 0; i < 3; i++) await send(ask(randomUUID()), 'created');
    });
    expect(names(commands)).toEqual(['evalsha', 'set', 'evalsha', 'set', 'evalsha', 'set']);
    for (const [, ...args] of commands.filter(([name]) => name === 'set')) {
      expect(args.slice(2).map((a) => a.toUpperCase())).toEqual(['EX', '86400', 'NX', 'GET']);
    }
  });
});

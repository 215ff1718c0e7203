import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ALICE, auth, BOB } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';
import { report } from './chat-load';

/**
 * A busy event loop is not a store outage. Two gateway processes share one healthy
 * redis-server; bursts of 400 concurrent first requests over 5 new conversations keep each
 * loop busy for longer than the command timeout. Node runs expired timers before it polls
 * sockets, so a timeout that believed its timer would report replies that were already
 * waiting as failures (`x-sentinel-session: unavailable`).
 */
const COMMAND_TIMEOUT_MS = 250;
const BURSTS = 6;
const REQUESTS_PER_BURST = 400;
const CONVERSATIONS_PER_BURST = 5;

jest.setTimeout(90_000);

let redis: RedisServerHandle;
let upstream: RecordingUpstream;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startRecordingUpstream();
  gateways = await Promise.all(
    [0, 1].map(() =>
      startGatewayProcess({
        CACHE_BACKEND: 'redis',
        REDIS_URL: redis.url,
        REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: 'sk-gateway-upstream-key',
        DEFAULT_PROVIDER: 'openai',
        API_KEYS: `alice:${ALICE},bob:${BOB}`,
        LOG_LEVEL: 'info',
      }),
    ),
  );
});
afterAll(async () => {
  await Promise.all(gateways.map((gw) => gw.kill()));
  await upstream.close();
  await redis.stop();
});

interface Answer {
  status: number;
  session: string | null;
  model: string | null;
  conversation: string;
}

async function firstRequest(gw: GatewayProcess, conversation: string, i: number): Promise<Answer> {
  const res = await fetch(`${gw.url}/native/v1/chat/completions`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({
      model: `openai/model-${i % 3}`,
      conversation_id: conversation,
      messages: [{ role: 'user', content: `request ${i}` }],
    }),
  });
  await res.arrayBuffer();
  return {
    status: res.status,
    session: res.headers.get('x-sentinel-session'),
    model: res.headers.get('x-sentinel-model'),
    conversation,
  };
}

it('bursts of 400 concurrent first requests on two instances over one healthy Redis: no answer says unavailable, every conversation names one model', async () => {
  const answers: Answer[] = [];
  const burstMs: number[] = [];
  for (let burst = 0; burst < BURSTS; burst++) {
    const conversations = Array.from(
      { length: CONVERSATIONS_PER_BURST },
      () => `burst-${randomUUID()}`,
    );
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: REQUESTS_PER_BURST }, (_, i) =>
        firstRequest(gateways[i % 2], conversations[i % CONVERSATIONS_PER_BURST], i),
      ),
    );
    burstMs.push(Date.now() - started);
    answers.push(...results);
  }

  const sessions = new Map<string, number>();
  for (const a of answers)
    sessions.set(String(a.session), (sessions.get(String(a.session)) ?? 0) + 1);
  report('redis burst', {
    answers: answers.length,
    sessions: Object.fromEntries(sessions),
    burstMs,
  });
  expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  expect(answers.filter((a) => a.session === 'unavailable')).toHaveLength(0);
  expect(sessions.get('created')).toBe(BURSTS * CONVERSATIONS_PER_BURST);

  // Concurrent creators agreed: each conversation's answers name the model the store holds.
  const raw = new Redis(redis.url);
  try {
    const byConversation = new Map<string, Set<string | null>>();
    for (const a of answers) {
      const models = byConversation.get(a.conversation) ?? new Set();
      models.add(a.model);
      byConversation.set(a.conversation, models);
    }
    for (const [conversation, models] of byConversation) {
      const stored = JSON.parse((await raw.get(`sentinel:session:${conversation}`)) ?? '{}') as {
        model?: string;
      };
      expect([...models]).toEqual([stored.model]);
    }
  } finally {
    raw.disconnect();
  }
  for (const gw of gateways) expect(gw.output()).not.toContain('Redis command timed out');
});

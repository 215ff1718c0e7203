import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { get, post } from '../support/http';
import {
  RecordingUpstream,
  replies,
  startRecordingUpstream,
  UPSTREAM_SECRET,
} from '../support/recording-upstream';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';

/**
 * Log redaction (issue part 4), asserted on what a real gateway process writes to stdout and
 * stderr at LOG_LEVEL=debug, whatever logger is in place: requests carrying every kind of
 * secret are driven through success and failure paths, then each secret is searched for.
 */
const SECRETS = {
  aliceKey: 'sk-alice-SECRET-7f3a9c1e',
  bobKey: 'sk-bob-SECRET-2b8d4e6f',
  wrongKey: 'sk-wrong-SECRET-9a1c3e5g',
  upstreamKey: 'sk-upstream-SECRET-4d6f8h0j',
  adminKey: 'admin-SECRET-1q2w3e4r5t6y',
  wrongAdminKey: 'admin-wrong-SECRET-0p9o8i7u',
  redisPassword: 'redis-SECRET-pw-5t4r3e2w',
  clientApiKeyHeader: 'x-api-key-SECRET-6y7u8i9o',
  prompt: 'PROMPT-SECRET-do-not-log-me',
  upstreamBody: UPSTREAM_SECRET,
};

jest.setTimeout(30_000);

describe('log redaction (real gateway process, LOG_LEVEL=debug)', () => {
  let upstream: RecordingUpstream;
  let redis: RedisServerHandle;
  let gw: GatewayProcess;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    redis = await startRedisServer();
    const raw = new Redis(redis.url);
    await raw.config('SET', 'requirepass', SECRETS.redisPassword);
    raw.disconnect();
    gw = await startGatewayProcess({
      LOG_LEVEL: 'debug',
      CACHE_BACKEND: 'redis',
      REDIS_URL: `redis://:${SECRETS.redisPassword}@127.0.0.1:${redis.port}`,
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: SECRETS.upstreamKey,
      DEFAULT_PROVIDER: 'openai',
      API_KEYS: `alice:${SECRETS.aliceKey},bob:${SECRETS.bobKey}`,
      DEBUG_ENDPOINTS: 'true',
      ADMIN_API_KEY: SECRETS.adminKey,
    });
  });
  afterAll(async () => {
    await gw?.kill();
    await redis?.stop();
    await upstream?.close();
  });

  it('never writes a key, password, upstream error body or prompt to the logs', async () => {
    const chat = `${gw.url}/native/v1/chat/completions`;
    const alice = { authorization: `Bearer ${SECRETS.aliceKey}` };
    const bob = { authorization: `Bearer ${SECRETS.bobKey}` };
    const id = randomUUID();
    const ask = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      model: 'openai/model-a',
      conversation_id: id,
      messages: [{ role: 'user', content: SECRETS.prompt }],
      ...extra,
    });

    expect(
      (await post(chat, ask(), { ...alice, 'x-api-key': SECRETS.clientApiKeyHeader })).status,
    ).toBe(200);
    // Reused with another model named: the debug line about it must name no secret either.
    expect((await post(chat, ask({ model: 'openai/model-b' }), alice)).status).toBe(200);
    const stream = await fetch(chat, {
      method: 'POST',
      headers: { ...alice, 'content-type': 'application/json' },
      body: JSON.stringify(ask({ stream: true })),
    });
    expect(stream.status).toBe(200);
    await stream.text();
    expect((await post(chat, ask(), bob)).status).toBe(403);
    expect((await post(chat, ask(), { authorization: `Bearer ${SECRETS.wrongKey}` })).status).toBe(
      401,
    );
    expect((await post(chat, { ...ask(), bad_field: SECRETS.prompt }, alice)).status).toBe(400);
    expect(
      (await get(`${gw.url}/debug/session/${id}`, { 'x-admin-key': SECRETS.adminKey })).status,
    ).toBe(200);
    expect(
      (await get(`${gw.url}/debug/session/${id}`, { 'x-admin-key': SECRETS.wrongAdminKey })).status,
    ).toBe(404);
    upstream.nextResponse(replies.status(500), replies.rateLimited('3'), replies.malformed());
    expect((await post(chat, ask(), alice)).status).toBe(502);
    expect((await post(chat, ask(), alice)).status).toBe(429);
    expect((await post(chat, ask(), alice)).status).toBe(502);
    upstream.nextResponse(replies.partialStream(1, 'destroy'));
    const broken = await fetch(chat, {
      method: 'POST',
      headers: { ...alice, 'content-type': 'application/json' },
      body: JSON.stringify(ask({ stream: true })),
    });
    await broken.text();

    // Redis goes away and comes back (with its password): connection errors get logged.
    await redis.stop();
    await sleep(300);
    expect((await post(chat, ask(), alice)).headers.get('x-sentinel-session')).toBe('unavailable');
    await redis.restart();
    const raw = new Redis(redis.url);
    await raw.config('SET', 'requirepass', SECRETS.redisPassword);
    raw.disconnect();
    await sleep(1_500);

    // Flush whatever the logger buffers: stop the process the way an orchestrator does.
    gw.signal('SIGTERM');
    await gw.exited;
    const logs = gw.output();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toMatch(/listening/);
    // Debug lines were written (the stickiness note names conversation and models only).
    expect(logs).toContain(`conversation ${id} stays on openai/model-a`);
    // Each upstream failure has its warn line, without the upstream's body.
    expect(logs).toContain('provider_error: The provider answered HTTP 500.');
    expect(logs).toContain('provider_error: The provider returned a malformed response.');
    expect(logs).not.toContain('chatcmpl-broken');
    const leaked = Object.entries(SECRETS).filter(([, secret]) => logs.includes(secret));
    expect(leaked.map(([name]) => name)).toEqual([]);
    // Nor the Redis URL (it may carry the password) or the bearer header itself.
    expect(logs).not.toContain(`redis://:`);
    expect(logs).not.toMatch(/Bearer sk-/);
  });
});

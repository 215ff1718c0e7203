import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { createTestApp, TestApp } from '../support/create-test-app';
import { get, post } from '../support/http';
import { RecordingUpstream, replies, startRecordingUpstream } from '../support/recording-upstream';
import { RedisCommandCounter } from '../support/redis-command-counter';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';
import { deployment, keyEnv } from '../support/routing-app';

/** Two gateway instances on one real Redis, three deployments of one model behind `fast`. */
const SYNC_MS = 200;
const IDS = ['a', 'b', 'd'];
let redis: RedisServerHandle;
let raw: Redis;
let dir: string;
const upstreams: Record<string, RecordingUpstream> = {};
const apps: TestApp[] = [];

const chat = (i: number): string => `${apps[i].url}/native/v1/chat/completions`;
const ask = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'fast',
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});
const calls = (id: string): number => upstreams[id].requests.length;
const resetAll = (): void => Object.values(upstreams).forEach((u) => u.reset());

beforeAll(async () => {
  redis = await startRedisServer();
  raw = new Redis(redis.url);
  for (const id of IDS) upstreams[id] = await startRecordingUpstream();
  const urls = Object.fromEntries(IDS.map((id) => [id, upstreams[id].url]));
  dir = mkdtempSync(join(tmpdir(), 'sentinel-fleet-'));
  const file = join(dir, 'routing.yaml');
  writeFileSync(
    file,
    `
version: 1
defaults:
  health: { consecutive_failures: 1, cooldown_initial_s: 2 }
deployments:
${IDS.map((id) => deployment(id, urls)).join('\n')}
groups:
  fast: { deployments: [a, b, d] }
  solo: { deployments: [a] }
`,
  );
  const env = {
    CACHE_BACKEND: 'redis',
    REDIS_URL: redis.url,
    ROUTING_CONFIG_FILE: file,
    ROUTING_HEALTH_SYNC_MS: String(SYNC_MS),
    ...Object.fromEntries(IDS.map((id) => [keyEnv(id), `sk-${id}`])),
  };
  for (let i = 0; i < 2; i++) apps.push(await createTestApp({ env, cache: false }));
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const u of Object.values(upstreams)) await u.close();
  raw?.disconnect();
  await redis?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  resetAll();
  await raw.del('sentinel:health:v1');
  // Both views forget what they saw: wait for a sync of the emptied hash.
  await sleep(SYNC_MS * 2 + 50);
});

describe('fleet-wide health (two instances, one redis-server)', () => {
  it('a failure seen by one instance makes the other skip that deployment within two syncs', async () => {
    upstreams.a.respondWith(replies.status(500));
    const failed = await post(chat(0), ask({ model: 'solo' }));
    expect(failed.status).toBe(502);
    expect(await raw.hexists('sentinel:health:v1', 'a')).toBe(1);
    await sleep(SYNC_MS * 2);
    upstreams.a.reset();
    for (let i = 0; i < 20; i++) {
      const res = await post(chat(1), ask());
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sentinel-deployment')).not.toBe('a');
    }
    expect(calls('a')).toBe(0);
    const solo = await post(chat(1), ask({ model: 'solo' }));
    expect(solo.status).toBe(503);
    expect(calls('a')).toBe(0);
  });

  it('lets exactly one request fleet-wide probe a deployment once its cooldown ends', async () => {
    upstreams.a.respondWith(replies.status(500));
    await post(chat(0), ask({ model: 'solo' }));
    upstreams.a.reset();
    upstreams.a.respondWith(replies.delay(300, replies.status(500)));
    await sleep(2_600); // the cooldown (2 s ± 20 %) is over on both instances
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(chat(i % 2), ask({ model: 'solo' }))),
    );
    expect(calls('a')).toBe(1);
    expect(burst.filter((r) => r.status === 503)).toHaveLength(19);
    for (const res of burst.filter((r) => r.status === 503)) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('20 concurrent turns over both instances of a conversation whose deployment died land on one new deployment', async () => {
    let id = '';
    for (let i = 0; i < 100 && id === ''; i++) {
      const candidate = randomUUID();
      const res = await post(chat(0), ask({ conversation_id: candidate }));
      if (res.headers.get('x-sentinel-deployment') === 'a') id = candidate;
    }
    expect(id).not.toBe('');
    resetAll();
    upstreams.a.respondWith(replies.status(503));
    const turns = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(chat(i % 2), ask({ conversation_id: id }))),
    );
    expect(turns.every((r) => r.status === 200)).toBe(true);
    const served = new Set(turns.map((r) => r.headers.get('x-sentinel-deployment')));
    expect(served.size).toBe(1);
    const [to] = served;
    expect(to).not.toBe('a');
    const stored = JSON.parse((await raw.get(`sentinel:session:${id}`)) as string) as Record<
      string,
      unknown
    >;
    expect(stored).toMatchObject({ deployment: to, home_deployment: 'a', migration_count: 1 });

    // The migrated conversation stays there after a recovers, on both instances.
    upstreams.a.reset();
    await sleep(2_600);
    for (let i = 0; i < 6; i++) {
      const res = await post(chat(i % 2), ask({ conversation_id: id }));
      expect(res.headers.get('x-sentinel-deployment')).toBe(to);
    }
    const view = await get(`${apps[1].url}/native/v1/sessions/${id}`);
    expect(view.body).toMatchObject({ deployment: to, migration_count: 1 });
  });

  it('adds no store round trip to requests on a healthy fleet, and writes no health at all', async () => {
    const counter = await RedisCommandCounter.start(redis.url);
    try {
      const id = randomUUID();
      await post(chat(0), ask({ conversation_id: id }));
      const perRequest = await counter.count(async () => {
        await post(chat(1), ask({ conversation_id: id }));
      });
      // One round trip: the session read-and-refresh script. Nothing for health.
      expect(perRequest).toHaveLength(1);
      const health = await counter.count(async () => {
        for (let i = 0; i < 30; i++) await post(chat(i % 2), ask());
        await sleep(SYNC_MS * 2);
      }, 'sentinel-health');
      // Only the background snapshot ran (one script, read-only), a few times; nothing written.
      expect(health.length).toBeGreaterThan(0);
      expect(new Set(health.map((args) => `${args[0]} ${args[1]}`)).size).toBe(1);
      expect(await raw.exists('sentinel:health:v1')).toBe(0);
    } finally {
      await counter.stop();
    }
  });
});

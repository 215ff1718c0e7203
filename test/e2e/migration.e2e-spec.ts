import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectEnvelope, get, post } from '../support/http';
import { replies } from '../support/recording-upstream';
import { deployment, RoutingApp, startRoutingApp } from '../support/routing-app';

const turn = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'fast',
  conversation_id: id,
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});

interface SessionBody {
  deployment: string;
  home_deployment: string;
  migration_count: number;
  migrations: { from: string; to: string; reason: string; at: number }[];
  tier: string | null;
  group: string | null;
}

/**
 * `fast`: a and b serve m1, e serves m2 with a big weight (a migration must still prefer the
 * same model); `smart` (strict) and `big` (the complex tier) one deployment each.
 */
const file = (urls: Record<string, string>): string => `
version: 1
defaults:
  health: { consecutive_failures: 1, cooldown_initial_s: 2 }
  stickiness: { on_unhealthy: migrate, max_wait_ms: 1500 }
deployments:
${deployment('a', urls)}
${deployment('b', urls)}
${deployment('e', urls, { model: 'm2', weight: 50 })}
${deployment('c', urls, { model: 'm3' })}
${deployment('d', urls, { model: 'm3' })}
${deployment('x', urls, { model: 'm4' })}
groups:
  fast: { deployments: [a, b, e] }
  pinned: { deployments: [a, b] }
  smart: { deployments: [c, d], stickiness: { on_unhealthy: strict } }
  big: { deployments: [x] }
tiers: { simple: fast, complex: big }
`;
const IDS = ['a', 'b', 'e', 'c', 'd', 'x'];

describe('health-aware stickiness (one instance)', () => {
  let app: RoutingApp;
  afterEach(async () => {
    await app?.close();
  });

  const session = async (id: string): Promise<SessionBody> =>
    (await get<SessionBody>(`${app.url}/native/v1/sessions/${id}`)).body;

  /** A conversation bound to deployment `target` of `group` (new ids until one lands there). */
  async function boundTo(target: string, group = 'fast'): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      const res = await post(app.chat, turn(id, { model: group }));
      if (res.headers.get('x-sentinel-deployment') === target) return id;
      await get(`${app.url}/native/v1/sessions/${id}`, undefined, 'DELETE');
    }
    throw new Error(`no conversation landed on ${target}`);
  }

  it('moves a conversation whose deployment fails mid-request, preferring the same model, and records it', async () => {
    app = await startRoutingApp(IDS, file);
    const id = await boundTo('a');
    app.reset();
    app.upstreams.a.respondWith(replies.status(503));
    const res = await post(app.chat, turn(id));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-session')).toBe('migrated');
    expect(res.headers.get('x-sentinel-deployment')).toBe('b');
    expect(res.headers.get('x-sentinel-attempts')).toBe('2');
    expect(res.headers.get('x-sentinel-decision')).toBe(
      'group="fast", strategy=weighted, deployment="b", attempt=2, migrated_from="a", reason=failed:server',
    );
    expect(app.callsTo('e')).toBe(0);
    const record = await session(id);
    expect(record).toMatchObject({
      deployment: 'b',
      home_deployment: 'a',
      migration_count: 1,
      group: 'fast',
    });
    expect(record.migrations).toEqual([
      { at: expect.any(Number) as unknown, from: 'a', to: 'b', reason: 'failed:server' },
    ]);

    // It stays on b, also once a has recovered: no silent move back.
    app.upstreams.a.reset();
    await sleep(2_300);
    for (let i = 0; i < 5; i++) {
      const next = await post(app.chat, turn(id));
      expect(next.headers.get('x-sentinel-deployment')).toBe('b');
      expect(next.headers.get('x-sentinel-session')).toBe('reused');
    }
    expect(app.callsTo('a')).toBe(0);
  });

  it('migrates before calling a deployment that is already cooling (the dead one gets nothing)', async () => {
    app = await startRoutingApp(IDS, file);
    const id = await boundTo('a', 'pinned');
    // Stateless traffic fails on a, which opens its cooldown.
    app.reset();
    app.upstreams.a.respondWith(replies.status(500));
    for (let i = 0; i < 50 && app.callsTo('a') === 0; i++) {
      await post(app.chat, { model: 'pinned', messages: [{ role: 'user', content: 'x' }] });
    }
    app.reset();
    const res = await post(app.chat, turn(id, { model: undefined }));
    expect(res.status).toBe(200);
    expect(app.callsTo('a')).toBe(0);
    expect(res.headers.get('x-sentinel-session')).toBe('migrated');
    expect(res.headers.get('x-sentinel-decision')).toContain('reason=cooldown');
    expect((await session(id)).migrations.at(-1)).toMatchObject({ from: 'a', reason: 'cooldown' });
  });

  it('waits out a short rate limit of the bound deployment instead of moving', async () => {
    app = await startRoutingApp(IDS, file);
    const id = await boundTo('a', 'pinned');
    // A stateless request is rate limited on a (Retry-After: 1 s, within max_wait_ms).
    app.reset();
    app.upstreams.a.respondWith(replies.rateLimited('1'));
    for (let i = 0; i < 50 && app.callsTo('a') === 0; i++) {
      await post(app.chat, { model: 'pinned', messages: [{ role: 'user', content: 'x' }] });
    }
    expect(app.callsTo('a')).toBe(1);
    app.reset();
    const started = Date.now();
    const res = await post(app.chat, turn(id, { model: undefined }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-deployment')).toBe('a');
    expect(res.headers.get('x-sentinel-session')).toBe('reused');
    expect(res.headers.get('x-sentinel-decision')).toMatch(/waited=\d+/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(app.callsTo('b')).toBe(0);
  });

  it('answers 503 conversation_deployment_unavailable in a strict group and keeps the session', async () => {
    app = await startRoutingApp(IDS, file);
    const id = await boundTo('c', 'smart');
    app.reset();
    app.upstreams.c.respondWith(replies.status(500));
    // A failure during the request is that request's error: no move to d.
    const failed = await post(app.chat, turn(id, { model: undefined }));
    expect(failed.status).toBe(502);
    expect(app.callsTo('d')).toBe(0);
    // While c cools, the conversation is refused with Retry-After, and stays bound to c.
    app.reset();
    const refused = await post(app.chat, turn(id, { model: undefined }));
    expect(refused.status).toBe(503);
    expectEnvelope(refused.body, 'conversation_deployment_unavailable', 'service_unavailable');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(app.callsTo('c') + app.callsTo('d')).toBe(0);
    expect((await session(id)).deployment).toBe('c');
  });

  it('makes 20 concurrent turns of a conversation whose deployment died converge on one new deployment', async () => {
    app = await startRoutingApp(IDS, (urls) => file(urls).replace('weight: 50', 'weight: 0'));
    // pinned-like spread: a, b (m1) and e (m2, fallback-only) — a dies.
    const id = await boundTo('a');
    app.reset();
    app.upstreams.a.respondWith(replies.status(503));
    const turns = await Promise.all(Array.from({ length: 20 }, () => post(app.chat, turn(id))));
    expect(turns.every((r) => r.status === 200)).toBe(true);
    const served = new Set(turns.map((r) => r.headers.get('x-sentinel-deployment')));
    expect(served).toEqual(new Set(['b']));
    const record = await session(id);
    expect(record.deployment).toBe('b');
    expect(record.migration_count).toBe(1);
  });

  it('moves a conversation whose deployment was removed from the configuration', async () => {
    app = await startRoutingApp(IDS, file);
    const id = randomUUID();
    await app.cache?.set(
      `sentinel:session:${id}`,
      JSON.stringify({
        id,
        provider: 'openai',
        model: 'm1',
        external_id: 'alice',
        created_at: 1,
        deployment: 'retired',
        group: 'fast',
      }),
      600,
    );
    const res = await post(app.chat, turn(id, { model: undefined }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-session')).toBe('migrated');
    expect(res.headers.get('x-sentinel-decision')).toContain('reason=deployment_removed');
    expect(['a', 'b']).toContain(res.headers.get('x-sentinel-deployment'));
    expect((await session(id)).migrations[0]).toMatchObject({
      from: 'retired',
      reason: 'deployment_removed',
    });
  });

  it('serves a record written before routing on the first healthy deployment of its model', async () => {
    app = await startRoutingApp(IDS, file);
    const id = randomUUID();
    await app.cache?.set(
      `sentinel:session:${id}`,
      JSON.stringify({ id, provider: 'openai', model: 'm3', external_id: 'alice', created_at: 1 }),
      600,
    );
    const res = await post(app.chat, turn(id, { model: undefined }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-session')).toBe('reused');
    expect(res.headers.get('x-sentinel-deployment')).toBe('c');
    expect(app.upstreams.c.last.body.model).toBe('m3');
  });

  it('moves a conversation up a tier, never down', async () => {
    app = await startRoutingApp(IDS, file);
    const id = randomUUID();
    const first = await post(app.chat, turn(id, { model: undefined, tier: 'simple' }));
    expect(['a', 'b', 'e']).toContain(first.headers.get('x-sentinel-deployment'));
    const up = await post(app.chat, turn(id, { model: undefined, tier: 'complex' }));
    expect(up.headers.get('x-sentinel-deployment')).toBe('x');
    expect(up.headers.get('x-sentinel-session')).toBe('migrated');
    expect(up.headers.get('x-sentinel-decision')).toContain('reason=tier_upgrade');
    const down = await post(app.chat, turn(id, { model: undefined, tier: 'simple' }));
    expect(down.headers.get('x-sentinel-deployment')).toBe('x');
    expect(down.headers.get('x-sentinel-session')).toBe('reused');
    expect(await session(id)).toMatchObject({ tier: 'complex', group: 'big', migration_count: 1 });
  });
});

describe('what operators see of routing', () => {
  it('counts attempts, fallbacks, migrations and cooldowns on /metrics', async () => {
    const app = await startRoutingApp(IDS, file);
    try {
      app.upstreams.a.respondWith(replies.status(503));
      app.upstreams.b.respondWith(replies.status(503));
      const id = randomUUID();
      // a and b fail, e (the fallback-heavy m2 deployment of fast) serves.
      const res = await post(app.chat, turn(id));
      expect(res.status).toBe(200);
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const value = (line: string): number => {
        const found = text.split('\n').find((l) => l.startsWith(line));
        return found === undefined ? 0 : Number(found.split(' ').at(-1));
      };
      const failed = ['a', 'b'].filter(
        (d) => value(`sentinel_upstream_attempts_total{deployment="${d}",outcome="server"}`) === 1,
      );
      const served = res.headers.get('x-sentinel-deployment') as string;
      expect(
        value(`sentinel_upstream_attempts_total{deployment="${served}",outcome="success"}`),
      ).toBe(1);
      expect(failed.length + 1).toBe(Number(res.headers.get('x-sentinel-attempts')));
      for (const d of failed) {
        expect(
          value(`sentinel_deployment_cooldowns_total{deployment="${d}",reason="server"}`),
        ).toBe(1);
      }
      if (failed.length > 0) {
        expect(value(`sentinel_routing_fallbacks_total{deployment="${served}"}`)).toBe(1);
      }

      // A later turn of that conversation on a cooling deployment is a counted migration.
      app.upstreams[served].respondWith(replies.status(503));
      app.upstreams.a.reset();
      app.upstreams.b.reset();
      const moved = await post(app.chat, turn(id));
      expect(moved.headers.get('x-sentinel-session')).toBe('migrated');
      const after = await (await fetch(`${app.url}/metrics`)).text();
      expect(after).toMatch(/sentinel_session_migrations_total\{reason="failed:server"\} 1/);
    } finally {
      await app.close();
    }
  });
});

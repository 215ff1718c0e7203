import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { auth } from '../support/create-test-app';
import { expectEnvelope, get, post, sseEvents } from '../support/http';
import { replies, UPSTREAM_SECRET } from '../support/recording-upstream';
import { ADMIN_KEY, deployment, RoutingApp, startRoutingApp } from '../support/routing-app';

const ask = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'fast',
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});

/** Two deployments of one model behind `fast` (3:1), `smart` as its fallback (strict). */
const twoBehindOne =
  (health = 'consecutive_failures: 1, cooldown_initial_s: 2') =>
  (urls: Record<string, string>): string => `
version: 1
defaults:
  health: { ${health} }
  attempts: { max: 3, deadline_ms: 10000 }
deployments:
${deployment('a', urls, { weight: 3 })}
${deployment('b', urls, { weight: 1 })}
${deployment('c', urls, { model: 'm2' })}
groups:
  fast: { deployments: [a, b], fallbacks: [smart] }
  smart: { deployments: [c], stickiness: { on_unhealthy: strict } }
  solo: { deployments: [a], fallbacks: [] }
tiers: { simple: fast, complex: smart }
`;

describe('routing (several deployments, each its own recording upstream)', () => {
  let app: RoutingApp;
  afterEach(async () => {
    await app?.close();
  });

  it('spreads new conversations by weight, and keeps each on one deployment', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    const ids = Array.from({ length: 200 }, () => randomUUID());
    const first = await Promise.all(ids.map((id) => post(app.chat, ask({ conversation_id: id }))));
    expect(first.every((r) => r.status === 200)).toBe(true);
    const onA = first.filter((r) => r.headers.get('x-sentinel-deployment') === 'a').length;
    // 3:1 → 150 expected; 200 draws put it within 120..180 with overwhelming probability.
    expect(onA).toBeGreaterThan(120);
    expect(onA).toBeLessThan(180);
    expect(app.callsTo('a') + app.callsTo('b')).toBe(200);
    expect(app.callsTo('c')).toBe(0);

    // Three more turns each, naming another model: every turn lands where the first did.
    for (let turn = 0; turn < 3; turn++) {
      const again = await Promise.all(
        ids.map((id) => post(app.chat, ask({ conversation_id: id, model: 'smart' }))),
      );
      again.forEach((r, i) => {
        expect(r.headers.get('x-sentinel-deployment')).toBe(
          first[i].headers.get('x-sentinel-deployment'),
        );
        expect(r.headers.get('x-sentinel-session')).toBe('reused');
      });
    }
    expect(app.callsTo('c')).toBe(0);
  }, 30_000);

  it('retries a 5xx on the other deployment, then skips the failed one while it cools', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.status(500));
    app.upstreams.b.respondWith(replies.status(500));
    app.upstreams.b.reset();
    // Force the first pick onto a: group `solo` has only a, so use `fast` until a is hit.
    let served: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 20 && app.callsTo('a') === 0; i++) {
      app.upstreams.b.reset();
      served = await post(app.chat, ask());
    }
    expect(app.callsTo('a')).toBe(1);
    // a failed (500) and b answered: the client saw one success after two attempts.
    expect(served?.status).toBe(200);
    expect(served?.headers.get('x-sentinel-deployment')).toBe('b');
    expect(served?.headers.get('x-sentinel-attempts')).toBe('2');
    expect(served?.headers.get('x-sentinel-decision')).toBe(
      'group="fast", strategy=weighted, deployment="b", attempt=2',
    );
    expect(JSON.stringify(served?.body)).not.toContain(UPSTREAM_SECRET);

    // a is cooling (one failure opens it here): the next 10 requests never reach it.
    app.upstreams.a.reset();
    for (let i = 0; i < 10; i++) {
      const res = await post(app.chat, ask());
      expect(res.headers.get('x-sentinel-deployment')).toBe('b');
      expect(res.headers.get('x-sentinel-attempts')).toBe('1');
    }
    expect(app.callsTo('a')).toBe(0);

    // After the cooldown, one request probes a; it answers again and traffic returns.
    await sleep(2_600);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      seen.add((await post(app.chat, ask())).headers.get('x-sentinel-deployment') as string);
    }
    expect(seen.has('a')).toBe(true);
  });

  it('never retries what the provider rejected (400): one upstream call, a 400 for the client', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.status(400));
    app.upstreams.b.respondWith(replies.status(400));
    const res = await post(app.chat, ask());
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'provider_rejected_request', 'invalid_request_error');
    expect(app.callsTo('a') + app.callsTo('b') + app.callsTo('c')).toBe(1);
    expect(res.headers.get('x-sentinel-attempts')).toBe('1');
    // A bad request benches nobody: the same deployments keep serving.
    app.upstreams.a.reset();
    app.upstreams.b.reset();
    for (let i = 0; i < 8; i++) expect((await post(app.chat, ask())).status).toBe(200);
    expect(app.callsTo('a')).toBeGreaterThan(0);
  });

  it('spends one attempt budget across the group and its fallbacks, and reports the last error', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], (urls) =>
      twoBehindOne()(urls).replace('max: 3', 'max: 2'),
    );
    for (const id of ['a', 'b', 'c']) app.upstreams[id].respondWith(replies.status(503));
    const res = await post(app.chat, ask());
    expect(app.callsTo('a') + app.callsTo('b') + app.callsTo('c')).toBe(2);
    expect(app.callsTo('c')).toBe(0);
    expect(res.status).toBe(502);
    expectEnvelope(res.body, 'provider_error', 'upstream_error');
    expect(res.headers.get('x-sentinel-attempts')).toBe('2');
    expect(res.headers.get('x-sentinel-deployment')).toMatch(/^[ab]$/);
  });

  it('falls back to the next group once the own deployments failed', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.status(500));
    app.upstreams.b.respondWith(replies.status(502));
    const res = await post(app.chat, ask());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-deployment')).toBe('c');
    expect(res.headers.get('x-sentinel-model')).toBe('m2');
    expect(res.headers.get('x-sentinel-attempts')).toBe('3');
    expect(app.upstreams.c.last.body.model).toBe('m2');
    expect(app.upstreams.c.last.headers.authorization).toBe('Bearer sk-upstream-c-key');
  });

  it('never reaches another group from a group with no fallbacks', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.status(500));
    const json = await post(app.chat, ask({ model: 'solo' }));
    expect(json.status).toBe(502);
    const stream = await post(app.chat, ask({ model: 'solo', stream: true }));
    // a is cooling now: nothing left to try.
    expect(stream.status).toBe(503);
    expect(app.callsTo('b') + app.callsTo('c')).toBe(0);
  });

  it('honours Retry-After: the rate-limited deployment gets nothing until then', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne('consecutive_failures: 5'));
    app.upstreams.a.respondWith(replies.rateLimited('2'));
    for (let i = 0; i < 20 && app.callsTo('a') === 0; i++) await post(app.chat, ask());
    expect(app.callsTo('a')).toBe(1);
    app.upstreams.a.reset();
    for (let i = 0; i < 10; i++) await post(app.chat, ask());
    expect(app.callsTo('a')).toBe(0);
    const state = await get<{ data: { id: string; state: string; reason: string | null }[] }>(
      `${app.url}/native/v1/deployments`,
      { 'x-admin-key': ADMIN_KEY },
    );
    expect(state.body.data.find((d) => d.id === 'a')).toMatchObject({
      state: 'open',
      reason: 'rate_limit',
    });
    await sleep(2_300);
    for (let i = 0; i < 20 && app.callsTo('a') === 0; i++) await post(app.chat, ask());
    expect(app.callsTo('a')).toBe(1);
  });

  it('answers 503 no_healthy_deployment with Retry-After and sends nothing while all cool', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.status(500));
    await post(app.chat, ask({ model: 'solo' }));
    app.reset();
    const res = await post(app.chat, ask({ model: 'solo' }));
    expect(res.status).toBe(503);
    expectEnvelope(res.body, 'no_healthy_deployment', 'service_unavailable');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(res.headers.get('x-sentinel-deployment')).toBeNull();
    expect(res.headers.get('x-sentinel-decision')).toContain('reason=no_healthy_deployment');
    expect(app.callsTo('a')).toBe(0);
    // A stream gets the same 503 as JSON, not an event stream.
    const stream = await post(app.chat, ask({ model: 'solo', stream: true }));
    expect(stream.status).toBe(503);
    expect(stream.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('leaves no binding behind when the first request of a conversation fails everywhere', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    for (const id of ['a', 'b', 'c']) app.upstreams[id].respondWith(replies.status(500));
    const id = randomUUID();
    const res = await post(app.chat, ask({ conversation_id: id }));
    expect(res.status).toBe(502);
    const session = await get(`${app.url}/native/v1/sessions/${id}`);
    expect(session.status).toBe(404);
  });

  it('counts a 200 stream whose first event is an error as a failed attempt', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    // a: a 200 whose first event is an error; then a role-only chunk followed by a cut.
    app.upstreams.a.nextResponse(
      replies.sse([{ error: { message: UPSTREAM_SECRET, type: 'server_error' } }]),
    );
    const res = await fetch(app.chat, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(ask({ model: 'solo', stream: true })),
    });
    // solo has only a: the error event before content is that attempt's failure → 502 as JSON.
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).not.toContain(UPSTREAM_SECRET);
  });

  it('moves a stream cut after its role chunk to another deployment: one clean stream', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.partialStream(1, 'destroy'));
    let body = '';
    let headers: Headers | undefined;
    for (let i = 0; i < 20 && app.callsTo('a') === 0; i++) {
      app.upstreams.b.reset();
      const r = await fetch(app.chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify(ask({ stream: true })),
      });
      headers = r.headers;
      body = await r.text();
    }
    expect(app.callsTo('a')).toBe(1);
    expect(app.callsTo('b')).toBe(1);
    expect(headers?.get('x-sentinel-deployment')).toBe('b');
    expect(headers?.get('x-sentinel-attempts')).toBe('2');
    const events = sseEvents(body);
    expect(events.at(-1)).toBe('[DONE]');
    const roles = events.filter((e) => e.includes('"role":"assistant"'));
    expect(roles).toHaveLength(1); // one clean stream: nothing of a's attempt was spliced in
    const text = events
      .filter((e) => e !== '[DONE]')
      .map((e) => (JSON.parse(e) as { choices: { delta: { content?: string } }[] }).choices)
      .map((c) => c[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('echo:m1:hello');
  });

  it('ends a stream with an SSE error event when it fails after content, without moving it', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    app.upstreams.a.respondWith(replies.partialStream(3, 'destroy'));
    const r = await fetch(app.chat, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(ask({ model: 'solo', stream: true })),
    });
    expect(r.status).toBe(200);
    const events = sseEvents(await r.text());
    expect(JSON.parse(events.at(-1) as string)).toMatchObject({
      error: { code: 'provider_error' },
    });
    expect(app.callsTo('b') + app.callsTo('c')).toBe(0);
  });

  it('moves on from a hanging deployment after its timeout_ms', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], (urls) =>
      twoBehindOne()(urls).replace(
        deployment('a', urls, { weight: 3 }),
        deployment('a', urls, { weight: 3, timeout_ms: 300, priority: 0 }),
      ),
    );
    app.upstreams.a.respondWith(replies.hang());
    let res: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 20 && app.callsTo('a') === 0; i++) res = await post(app.chat, ask());
    expect(app.callsTo('a')).toBe(1);
    expect(res?.status).toBe(200);
    expect(res?.headers.get('x-sentinel-deployment')).toBe('b');
  });

  it('ends the attempts at the deadline: 504 upstream_timeout, the hanging call cancelled', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], (urls) =>
      twoBehindOne()(urls).replace('deadline_ms: 10000', 'deadline_ms: 400'),
    );
    app.upstreams.a.respondWith(replies.hang());
    app.upstreams.b.respondWith(replies.hang());
    const closedBefore = app.upstreams.a.closedConnections;
    const started = Date.now();
    const res = await post(app.chat, ask({ model: 'solo' }));
    const tookMs = Date.now() - started;
    expect(res.status).toBe(504);
    expectEnvelope(res.body, 'upstream_timeout');
    expect(tookMs).toBeGreaterThanOrEqual(350);
    expect(tookMs).toBeLessThan(5_000);
    expect(res.headers.get('x-sentinel-deployment')).toBe('a');
    expect(res.headers.get('x-sentinel-attempts')).toBe('1');
    // The gateway gave up on the upstream call too: the connection it hung on was closed.
    for (let i = 0; i < 50 && app.upstreams.a.closedConnections === closedBefore; i++)
      await sleep(20);
    expect(app.upstreams.a.closedConnections).toBe(closedBefore + 1);
    expect(app.callsTo('a')).toBe(1);
    // `a` cools down after its timeout; the next request elsewhere is served as usual.
    const next = await post(app.chat, ask({ model: 'smart' }));
    expect(next.status).toBe(200);
    expect(next.headers.get('x-sentinel-deployment')).toBe('c');
  });

  it('resolves groups, tiers, provider/model and bare names, and refuses unknown ones', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    const tier = await post(app.chat, {
      tier: 'complex',
      conversation_id: randomUUID(),
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(tier.headers.get('x-sentinel-deployment')).toBe('c');
    expect(tier.headers.get('x-sentinel-decision')).toContain('tier=complex');
    const byModel = await post(app.chat, ask({ model: 'openai/m2' }));
    expect(byModel.headers.get('x-sentinel-deployment')).toBe('c');
    const unknown = await post(app.chat, ask({ model: 'openai/nope' }));
    expect(unknown.status).toBe(400);
    expectEnvelope(unknown.body, 'unknown_model', 'invalid_request_error');
    expect((unknown.body as { error: { param: string } }).error.param).toBe('model');
    const noTier = await post(app.chat, {
      tier: 'moderate',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(noTier.status).toBe(400);
    expect((noTier.body as { error: { param: string } }).error.param).toBe('tier');
  });

  it('records deployment, group and tier on the session', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    const id = randomUUID();
    const res = await post(app.chat, ask({ conversation_id: id, tier: 'simple' }));
    const session = await get(`${app.url}/native/v1/sessions/${id}`);
    expect(session.body).toMatchObject({
      deployment: res.headers.get('x-sentinel-deployment'),
      group: 'fast',
      tier: 'simple',
      migration_count: 0,
    });
  });

  it('lists deployments and their health for the admin key only', async () => {
    app = await startRoutingApp(['a', 'b', 'c'], twoBehindOne());
    const denied = await get(`${app.url}/native/v1/deployments`);
    expect(denied.status).toBe(404);
    const res = await get<{ object: string; data: Record<string, unknown>[] }>(
      `${app.url}/native/v1/deployments`,
      { 'x-admin-key': ADMIN_KEY },
    );
    expect(res.status).toBe(200);
    expect(res.body.data.map((d) => d.id)).toEqual(['a', 'b', 'c']);
    expect(res.body.data[0]).toMatchObject({
      provider: 'openai',
      model: 'm1',
      weight: 3,
      groups: ['fast', 'solo'],
      state: 'closed',
    });
    expect(JSON.stringify(res.body)).not.toContain('sk-upstream');
  });
});

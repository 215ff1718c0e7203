import { randomUUID } from 'node:crypto';
import { CacheUnavailableError } from '../../src/cache/cache-unavailable.error';
import { InMemoryCacheBackend } from '../../src/cache/in-memory-cache.backend';
import { auth, BOB, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, get, post } from '../support/http';
import { families, parseMetrics, sample, Samples } from '../support/metrics-text';
import { RecordingUpstream, replies, startRecordingUpstream } from '../support/recording-upstream';

const METRICS_TOKEN = 'metrics-token-for-tests-0123';
const CHAT = '/native/v1/chat/completions';

const FAMILIES = [
  'sentinel_http_requests_total',
  'sentinel_gateway_overhead_seconds',
  'sentinel_upstream_duration_seconds',
  'sentinel_stream_time_to_first_byte_seconds',
  'sentinel_session_outcomes_total',
  'sentinel_upstream_errors_total',
  'sentinel_streams_in_flight',
  'sentinel_cache_operation_duration_seconds',
  'sentinel_cache_errors_total',
  // prom-client's default process metrics
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_seconds',
  'nodejs_heap_size_used_bytes',
];

async function scrapeText(base: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return res.text();
}

const scrape = async (base: string): Promise<Samples> => parseMetrics(await scrapeText(base));

/** How much each sample moved between two scrapes (absent counts as 0). */
const delta = (before: Samples, after: Samples, key: string): number =>
  (after.get(key) ?? 0) - (before.get(key) ?? 0);

const outcome = (value: string): string =>
  sample('sentinel_session_outcomes_total', { outcome: value });

describe('metrics', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;
  let chat: string;
  const say = (text: string): Array<{ role: string; content: string }> => [
    { role: 'user', content: text },
  ];

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: {
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: 'sk-gateway-upstream-key',
        DEFAULT_PROVIDER: 'openai',
        METRICS_TOKEN: undefined,
      },
    });
    chat = `${app.url}${CHAT}`;
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('exposes every family, open without METRICS_TOKEN', async () => {
    const present = families(await scrapeText(app.url));
    for (const family of FAMILIES) expect([family, present.has(family)]).toEqual([family, true]);
  });

  it('counts requests by route pattern, status, provider and model', async () => {
    const before = await scrape(app.url);
    const id = randomUUID();
    await post(chat, { model: 'openai/gpt-4o-mini', messages: say('hi') });
    await post(chat, { model: 'openai/gpt-4o-mini', conversation_id: id, messages: say('hi') });
    await get(`${app.url}/native/v1/sessions/${id}`);
    await get(`${app.url}/no/such/route/${randomUUID()}`);
    const after = await scrape(app.url);

    const requests = (labels: Record<string, string>): number =>
      delta(before, after, sample('sentinel_http_requests_total', labels));
    expect(
      requests({
        method: 'POST',
        route: CHAT,
        status: '200',
        provider: 'openai',
        model: 'gpt-4o-mini',
      }),
    ).toBe(2);
    const sessions = '/native/v1/sessions/:conversation_id';
    expect(
      requests({ method: 'GET', route: sessions, status: '200', provider: 'none', model: 'none' }),
    ).toBe(1);
    expect(
      requests({
        method: 'GET',
        route: 'unmatched',
        status: '404',
        provider: 'none',
        model: 'none',
      }),
    ).toBe(1);
    // The raw URL (with its ids) never becomes a label.
    expect([...after.keys()].some((key) => key.includes(id))).toBe(false);
  });

  it('counts session outcomes: created, reused, none, forbidden', async () => {
    const before = await scrape(app.url);
    const id = randomUUID();
    const first = await post(chat, { model: 'openai/m', conversation_id: id, messages: say('1') });
    const second = await post(chat, { conversation_id: id, messages: say('2') });
    const stateless = await post(chat, { model: 'openai/m', messages: say('3') });
    const intruder = await post(chat, { conversation_id: id, messages: say('4') }, auth(BOB));
    expect([first, second, stateless].map((r) => r.headers.get('x-sentinel-session'))).toEqual([
      'created',
      'reused',
      'none',
    ]);
    expectEnvelope(intruder.body, 'conversation_forbidden');
    const after = await scrape(app.url);
    expect(delta(before, after, outcome('created'))).toBe(1);
    expect(delta(before, after, outcome('reused'))).toBe(1);
    expect(delta(before, after, outcome('none'))).toBe(1);
    expect(delta(before, after, outcome('forbidden'))).toBe(1);
    expect(delta(before, after, outcome('unavailable'))).toBe(0);
  });

  it('times the gateway and the upstream separately, and streams to the first byte', async () => {
    const before = await scrape(app.url);
    await post(chat, { model: 'openai/m', messages: say('json') });
    const stream = await fetch(chat, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/m', stream: true, messages: say('stream') }),
    });
    await stream.text();
    const after = await scrape(app.url);
    const count = (name: string, labels: Record<string, string>): number =>
      delta(before, after, sample(`${name}_count`, labels));

    expect(count('sentinel_gateway_overhead_seconds', { mode: 'json' })).toBe(1);
    expect(count('sentinel_gateway_overhead_seconds', { mode: 'stream' })).toBe(1);
    expect(count('sentinel_upstream_duration_seconds', { provider: 'openai', mode: 'json' })).toBe(
      1,
    );
    expect(
      count('sentinel_upstream_duration_seconds', { provider: 'openai', mode: 'stream' }),
    ).toBe(1);
    expect(count('sentinel_stream_time_to_first_byte_seconds', { provider: 'openai' })).toBe(1);
    const overheadSum = delta(
      before,
      after,
      sample('sentinel_gateway_overhead_seconds_sum', { mode: 'json' }),
    );
    expect(overheadSum).toBeGreaterThan(0);
    expect(overheadSum).toBeLessThan(1);
  });

  it('counts upstream errors by kind, before and during a stream', async () => {
    const before = await scrape(app.url);
    upstream.nextResponse(replies.status(500), replies.partialStream(2, 'destroy'));
    const failed = await post(chat, { model: 'openai/m', messages: say('boom') });
    expect(failed.status).toBe(502);
    const broken = await fetch(chat, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/m', stream: true, messages: say('cut') }),
    });
    expect(await broken.text()).toContain('"error"');
    const after = await scrape(app.url);
    const kind = sample('sentinel_upstream_errors_total', {
      provider: 'openai',
      kind: 'provider_error',
    });
    expect(delta(before, after, kind)).toBe(2);
  });

  it('counts streams in flight while they are being written', async () => {
    const held = replies.heldStream(2);
    upstream.nextResponse(held.handler);
    const streaming = fetch(chat, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/m', stream: true, messages: say('hold') }),
    });
    await held.paused;
    const response = await streaming;
    expect((await scrape(app.url)).get('sentinel_streams_in_flight')).toBe(1);
    held.release();
    await response.text();
    expect((await scrape(app.url)).get('sentinel_streams_in_flight')).toBe(0);
  });

  it('times session store operations', async () => {
    const before = await scrape(app.url);
    await post(chat, { model: 'openai/m', conversation_id: randomUUID(), messages: say('1') });
    const after = await scrape(app.url);
    const ops = (operation: string): number =>
      delta(
        before,
        after,
        sample('sentinel_cache_operation_duration_seconds_count', { backend: 'memory', operation }),
      );
    expect(ops('getAndRefresh')).toBe(1);
    expect(ops('setIfAbsent')).toBe(1);
  });

  it('reports the gateway time in Server-Timing on JSON and streamed chat responses', async () => {
    const json = await post(chat, { model: 'openai/m', messages: say('t') });
    const stream = await fetch(chat, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/m', stream: true, messages: say('t') }),
    });
    await stream.text();
    for (const header of [json.headers.get('server-timing'), stream.headers.get('server-timing')]) {
      expect(header).toMatch(/^gateway;dur=\d+\.\d{2};desc="Sentinel", upstream;dur=\d+\.\d{2}$/);
    }
  });
});

describe('metrics with a failing session store', () => {
  it('counts store errors and the unavailable outcome', async () => {
    const failing = new InMemoryCacheBackend({ maxEntries: 10 });
    const down = (): Promise<never> =>
      Promise.reject(new CacheUnavailableError('Session store unavailable (test)'));
    failing.getAndRefresh = down;
    failing.setIfAbsent = down;
    const app = await createTestApp({ cache: failing });
    try {
      const res = await post(`${app.url}${CHAT}`, {
        model: 'echo/m',
        conversation_id: randomUUID(),
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(res.headers.get('x-sentinel-session')).toBe('unavailable');
      const after = await scrape(app.url);
      const errors = sample('sentinel_cache_errors_total', {
        backend: 'memory',
        operation: 'getAndRefresh',
      });
      expect(after.get(errors)).toBe(1);
      expect(after.get(outcome('unavailable'))).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('metrics behind METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS_TOKEN } });
  });
  afterAll(() => app.close());

  it('answers 401 in the error envelope without the token or with a wrong one', async () => {
    const missing = await get(`${app.url}/metrics`, {});
    expect(missing.status).toBe(401);
    expectEnvelope(missing.body, 'missing_api_key', 'authentication_error');
    const wrong = await get(`${app.url}/metrics`, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expectEnvelope(wrong.body, 'invalid_api_key', 'authentication_error');
  });

  it('serves the metrics with the bearer token', async () => {
    const text = await scrapeText(app.url, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(text).toContain('sentinel_http_requests_total');
  });

  it('keeps a registry per app instance', async () => {
    const other = await createTestApp({ env: { METRICS_TOKEN: undefined } });
    try {
      await post(`${other.url}${CHAT}`, {
        model: 'echo/only-here',
        messages: [{ role: 'user', content: 'x' }],
      });
      const mine = await scrapeText(app.url, { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(mine).not.toContain('only-here');
      expect(await scrapeText(other.url)).toContain('model="only-here"');
    } finally {
      await other.close();
    }
  });
});

import { ALICE, auth, BOB, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, get, post, sseEvents } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { deployment, RoutingApp, startRoutingApp } from '../support/routing-app';

const HEADER = 'x-sentinel-conversation-id';
const hello = (model = 'openai/gpt-4o-mini'): Record<string, unknown> => ({
  model,
  messages: [{ role: 'user', content: 'hello' }],
});

/** `/v1` beside `/native/v1`: one request schema, router, session store and error envelope. */
describe('the OpenAI-compatible surface at /v1 (implicit deployments: openai and echo)', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;
  let chat: string;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: {
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: 'sk-gateway-upstream-key',
        CORS_ORIGINS: 'http://localhost:5173',
      },
    });
    chat = `${app.url}/v1/chat/completions`;
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('answers a chat completion with the same body and routing headers as the native route', async () => {
    const v1 = await post(chat, hello());
    const native = await post(`${app.url}/native/v1/chat/completions`, hello());
    expect([v1.status, native.status]).toEqual([200, 200]);
    expect(v1.body.choices).toEqual(native.body.choices);
    for (const name of ['x-sentinel-provider', 'x-sentinel-model', 'x-sentinel-session']) {
      expect([name, v1.headers.get(name)]).toEqual([name, native.headers.get(name)]);
    }
    expect(v1.headers.get('x-sentinel-deployment')).toBe('openai');
    expect(v1.headers.get('x-sentinel-attempts')).toBe('1');
    expect(v1.headers.get('x-sentinel-decision')).toBe('deployment="openai", attempt=1');
    expect(v1.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini']);
  });

  it('streams as SSE, ending with [DONE]', async () => {
    const res = await fetch(chat, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify({ ...hello(), stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const text = events
      .slice(0, -1)
      .map((e) => JSON.parse(e) as { choices: { delta: { content?: string } }[] })
      .map((c) => c.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('echo:gpt-4o-mini:hello');
  });

  it('needs the same bearer key and renders the same error envelope', async () => {
    const missing = await post(chat, hello(), {});
    expect(missing.status).toBe(401);
    expectEnvelope(missing.body, 'missing_api_key', 'authentication_error');
    const unknown = await post(chat, { ...hello(), temperature: 1, frobnicate: true });
    expect(unknown.status).toBe(400);
    expectEnvelope(unknown.body, 'unknown_field', 'invalid_request_error');
    expect((unknown.body.error as { param: string }).param).toBe('frobnicate');
    expect(upstream.requests).toHaveLength(0);
  });

  it('keeps a conversation named in the x-sentinel-conversation-id header on its model', async () => {
    const first = await post(chat, hello('openai/model-a'), { ...auth(), [HEADER]: 'v1-header-1' });
    const second = await post(chat, hello('openai/model-b'), {
      ...auth(),
      [HEADER]: 'v1-header-1',
    });
    expect([
      first.headers.get('x-sentinel-session'),
      second.headers.get('x-sentinel-session'),
    ]).toEqual(['created', 'reused']);
    expect(second.body.model).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    for (const request of upstream.requests) {
      expect(request.body).not.toHaveProperty('conversation_id');
      expect(request.headers).not.toHaveProperty(HEADER);
    }
    // The header's conversation is the body's: one session store for both surfaces.
    const native = await post(`${app.url}/native/v1/chat/completions`, {
      ...hello('openai/model-c'),
      conversation_id: 'v1-header-1',
    });
    expect(native.body.model).toBe('model-a');
    const session = await get(`${app.url}/native/v1/sessions/v1-header-1`);
    expect(session.body).toMatchObject({ provider: 'openai', model: 'model-a' });
  });

  it('gives 403 to another caller using a conversation id in the header', async () => {
    await post(chat, hello('openai/model-a'), { ...auth(ALICE), [HEADER]: 'v1-owned-by-alice' });
    const res = await post(chat, hello('openai/model-a'), {
      ...auth(BOB),
      [HEADER]: 'v1-owned-by-alice',
    });
    expect(res.status).toBe(403);
    expectEnvelope(res.body, 'conversation_forbidden', 'permission_error');
  });

  it('accepts the header and the body naming the same conversation', async () => {
    const res = await post(
      chat,
      { ...hello(), conversation_id: 'v1-both-same' },
      { ...auth(), [HEADER]: 'v1-both-same' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-session')).toBe('created');
  });

  it('rejects a header and a body naming different conversations, before any upstream call', async () => {
    const res = await post(
      chat,
      { ...hello(), conversation_id: 'v1-body-id' },
      { ...auth(), [HEADER]: 'v1-header-id' },
    );
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'invalid_value', 'invalid_request_error');
    expect(upstream.requests).toHaveLength(0);
    const stored = await get(`${app.url}/native/v1/sessions/v1-header-id`);
    expect(stored.status).toBe(404);
  });

  it.each([
    ['whitespace inside', 'two words'],
    ['longer than 256 characters', 'x'.repeat(257)],
  ])('rejects a header conversation id with %s, naming the header', async (_, id) => {
    const res = await post(chat, hello(), { ...auth(), [HEADER]: id });
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'invalid_value', 'invalid_request_error');
    expect((res.body.error as { param: string }).param).toBe(HEADER);
    expect(upstream.requests).toHaveLength(0);
  });

  it('ignores the header on the native route, which takes the body field', async () => {
    const res = await post(`${app.url}/native/v1/chat/completions`, hello(), {
      ...auth(),
      [HEADER]: 'native-ignores-header',
    });
    expect(res.headers.get('x-sentinel-session')).toBe('none');
  });

  it('drops what the echo adapter does not support and names it in x-sentinel-dropped-params', async () => {
    const res = await post(chat, {
      ...hello('echo/anything'),
      logprobs: true,
      seed: 7,
      temperature: 0.5,
    });
    expect(res.status).toBe(200);
    // OPTIONAL_PARAMS order, not the request's.
    expect(res.headers.get('x-sentinel-dropped-params')).toBe('seed, logprobs');
  });

  it('forwards every field the openai adapter supports as sent, dropping nothing', async () => {
    const sent = {
      ...hello(),
      seed: 7,
      logprobs: true,
      top_logprobs: 2,
      user: 'end-user-42',
      max_completion_tokens: 64,
      parallel_tool_calls: false,
      metadata: { ticket: '4711' },
    };
    const res = await post(chat, sent);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-dropped-params')).toBeNull();
    expect(upstream.last.body).toMatchObject({ ...sent, model: 'gpt-4o-mini' });
  });

  it('lets a browser app send the conversation header and read the routing headers (CORS)', async () => {
    const preflight = await fetch(chat, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': `authorization,content-type,${HEADER}`,
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-headers')).toContain(HEADER);
    const res = await post(chat, hello(), { ...auth(), origin: 'http://localhost:5173' });
    const exposed = res.headers.get('access-control-expose-headers') ?? '';
    for (const name of ['x-sentinel-dropped-params', 'x-sentinel-decision', 'x-sentinel-session']) {
      expect(exposed).toContain(name);
    }
  });

  it('lists the implicit deployments by provider on /v1/models and /native/v1/models alike', async () => {
    const v1 = await get<{ object: string; data: Record<string, unknown>[] }>(
      `${app.url}/v1/models`,
    );
    const native = await get(`${app.url}/native/v1/models`);
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual(native.body);
    expect(v1.body.object).toBe('list');
    expect(v1.body.data.map((m) => m.id)).toEqual(['openai', 'echo']);
    for (const model of v1.body.data) {
      expect(model).toEqual({
        id: expect.any(String),
        object: 'model',
        created: expect.any(Number),
        owned_by: 'sentinel',
      });
    }
    const anonymous = await get(`${app.url}/v1/models`, {});
    expect(anonymous.status).toBe(401);
    expectEnvelope(anonymous.body, 'missing_api_key', 'authentication_error');
  });

  it('answers one model on /v1/models/{model} and /native/v1/models/{model}, slash raw or %2F', async () => {
    for (const path of ['openai/gpt-4o-mini', 'openai%2Fgpt-4o-mini']) {
      for (const prefix of ['/v1', '/native/v1']) {
        const res = await get(`${app.url}${prefix}/models/${path}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          id: 'openai/gpt-4o-mini',
          object: 'model',
          created: expect.any(Number),
          owned_by: 'sentinel',
        });
      }
    }
    expect((await get(`${app.url}/v1/models/echo`)).body).toMatchObject({ id: 'echo' });
    const missing = await get(`${app.url}/v1/models/nobody%2Fmodel`);
    expect(missing.status).toBe(404);
    expectEnvelope(missing.body, 'not_found', 'not_found_error');
    expect((missing.body as { error: { param: string } }).error.param).toBe('model');
    const anonymous = await get(`${app.url}/v1/models/echo`, {});
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /v1/models with a routing file', () => {
  let app: RoutingApp;

  beforeAll(async () => {
    app = await startRoutingApp(['mini-us', 'mini-eu', 'large'], (urls) =>
      [
        'version: 1',
        'deployments:',
        deployment('mini-us', urls, { model: 'gpt-4o-mini' }),
        deployment('mini-eu', urls, { model: 'gpt-4o-mini' }),
        deployment('large', urls, { model: 'gpt-4o' }),
        'groups:',
        '  fast: { deployments: [mini-us, mini-eu], fallbacks: [smart] }',
        '  smart: { deployments: [large] }',
        'tiers: { simple: fast, moderate: fast, complex: smart }',
      ].join('\n'),
    );
  });
  afterAll(() => app.close());

  it('lists the groups and provider/model names, never deployment ids, URLs or keys', async () => {
    const res = await get<{ data: { id: string }[] }>(`${app.url}/v1/models`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((m) => m.id)).toEqual([
      'fast',
      'smart',
      'openai/gpt-4o-mini',
      'openai/gpt-4o',
    ]);
    const raw = JSON.stringify(res.body);
    for (const secret of ['mini-us', '127.0.0.1', 'sk-upstream', 'KEY_']) {
      expect(raw).not.toContain(secret);
    }
    expect((await get(`${app.url}/native/v1/models`)).body).toEqual(res.body);
  });

  it('routes every listed name', async () => {
    const listed = await get<{ data: { id: string }[] }>(`${app.url}/v1/models`);
    for (const { id } of listed.body.data) {
      const res = await post(`${app.url}/v1/chat/completions`, hello(id));
      expect([id, res.status]).toEqual([id, 200]);
    }
  });
});

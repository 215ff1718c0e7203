import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, TestApp, auth, ALICE } from '../support/create-test-app';
import { expectEnvelope, post, sseEvents } from '../support/http';
import {
  RecordingUpstream,
  replies,
  startRecordingUpstream,
  UPSTREAM_SECRET,
} from '../support/recording-upstream';

const GATEWAY_KEY = 'sk-gateway-upstream-key';

describe('chat through an OpenAI-compatible upstream', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;
  let chat: string;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: {
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: GATEWAY_KEY,
        DEFAULT_PROVIDER: 'openai',
        UPSTREAM_TIMEOUT_MS: '2000',
        UPSTREAM_IDLE_TIMEOUT_MS: '2000',
        SSE_KEEPALIVE_MS: '100',
      },
    });
    chat = `${app.url}/native/v1/chat/completions`;
  });
  beforeEach(() => upstream.reset());
  // The upstream first: it ends the hanging and held answers the fault tests left, so the app
  // has no in-flight request left to wait for while it drains.
  afterAll(async () => {
    await upstream.close();
    await app.close();
  }, 15_000);

  const ask = {
    model: 'openai/gpt-4o-mini',
    conversation_id: 'never-forwarded',
    temperature: 0.2,
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'ping' },
    ],
  };

  describe('JSON', () => {
    it('sends the upstream exactly the model and fields, with only the gateway key', async () => {
      const res = await post(chat, ask, { ...auth(), 'x-custom': 'client-header' });
      expect(res.status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
      const received = upstream.last;
      expect(received.path).toBe('/v1/chat/completions');
      expect(received.body).toStrictEqual({
        model: 'gpt-4o-mini',
        temperature: 0.2,
        messages: ask.messages,
      });
      expect(received.headers.authorization).toBe(`Bearer ${GATEWAY_KEY}`);
      expect(JSON.stringify(received.headers)).not.toContain(ALICE);
      expect(received.headers['x-custom']).toBeUndefined();
      expect(received.rawBody).not.toContain('conversation_id');
    });

    it('returns a normalized chat.completion without provider-specific fields', async () => {
      const res = await post(chat, ask);
      expect(Object.keys(res.body).sort()).toEqual(
        ['choices', 'created', 'id', 'model', 'object', 'usage'].sort(),
      );
      expect(res.body).toMatchObject({
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'echo:gpt-4o-mini:ping' },
            finish_reason: 'stop',
          },
        ],
      });
      const choice = (res.body.choices as Array<Record<string, unknown>>)[0];
      expect(Object.keys(choice).sort()).toEqual(['finish_reason', 'index', 'message']);
      expect(Object.keys(res.body.usage as object).sort()).toEqual([
        'completion_tokens',
        'prompt_tokens',
        'total_tokens',
      ]);
    });

    it('reuses pooled keep-alive connections', async () => {
      for (let i = 0; i < 5; i++) await post(chat, ask);
      const connections = new Set(upstream.requests.map((r) => r.connectionId));
      expect(connections.size).toBeLessThanOrEqual(2);
    });
  });

  describe('upstream failures', () => {
    it('maps an upstream 500 to 502 provider_error without its body', async () => {
      upstream.nextResponse(replies.status(500));
      const res = await post(chat, ask);
      expect(res.status).toBe(502);
      expectEnvelope(res.body, 'provider_error', 'upstream_error');
      expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_SECRET);
      expect(res.headers.get('x-sentinel-provider')).toBe('openai');
    });

    it.each([400, 413, 422])(
      'maps an upstream %i, which blames the request, to 400 provider_rejected_request without its body',
      async (status) => {
        upstream.nextResponse(replies.status(status));
        const res = await post(chat, ask);
        expect(res.status).toBe(400);
        expectEnvelope(res.body, 'provider_rejected_request', 'invalid_request_error');
        expect((res.body as { error: { message: string } }).error.message).toContain(
          `(HTTP ${status})`,
        );
        expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_SECRET);
      },
    );

    it.each([401, 403, 404])(
      'maps an upstream %i (our key or the model is gone) to 502 provider_error, never a 401',
      async (status) => {
        upstream.nextResponse(replies.status(status));
        const res = await post(chat, ask);
        expect(res.status).toBe(502);
        expectEnvelope(res.body, 'provider_error', 'upstream_error');
        expect(JSON.stringify(res.body)).not.toContain(UPSTREAM_SECRET);
      },
    );

    it('answers a stream the upstream refused up front with a plain 400, not an event stream', async () => {
      upstream.nextResponse(replies.status(400));
      const res = await post(chat, { ...ask, stream: true });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expectEnvelope(res.body, 'provider_rejected_request', 'invalid_request_error');
    });

    it('keeps an upstream 401 (the gateway key) a 502: the caller cannot fix it', async () => {
      upstream.nextResponse(replies.status(401));
      const res = await post(chat, ask);
      expect(res.status).toBe(502);
      expectEnvelope(res.body, 'provider_error', 'upstream_error');
    });

    it('passes a 429 through with its Retry-After', async () => {
      upstream.nextResponse(replies.rateLimited('7'));
      const res = await post(chat, ask);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expectEnvelope(res.body, 'upstream_rate_limited', 'rate_limit_error');
    });

    it('answers 429 without Retry-After when the upstream gave none', async () => {
      upstream.nextResponse(replies.rateLimited());
      const res = await post(chat, ask);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeNull();
    });

    it('answers 504 upstream_timeout when the upstream is too slow', async () => {
      upstream.nextResponse(replies.hang());
      const res = await post(chat, ask);
      expect(res.status).toBe(504);
      expectEnvelope(res.body, 'upstream_timeout', 'upstream_error');
    });

    it('answers 502 to a malformed upstream answer', async () => {
      upstream.nextResponse(replies.malformed());
      const res = await post(chat, ask);
      expect(res.status).toBe(502);
      expectEnvelope(res.body, 'provider_error');
    });

    it('does not follow an upstream redirect', async () => {
      const elsewhere = await startRecordingUpstream();
      try {
        upstream.nextResponse(replies.redirect(`${elsewhere.url}/chat/completions`, 307));
        const res = await post(chat, ask);
        expect(res.status).toBe(502);
        expect(elsewhere.requests).toHaveLength(0);
      } finally {
        await elsewhere.close();
      }
    });
  });

  describe('streaming', () => {
    it('relays SSE chunks and ends with [DONE]', async () => {
      const res = await fetch(chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream: true }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('x-sentinel-model')).toBe('gpt-4o-mini');
      const events = sseEvents(await res.text());
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Record<string, unknown>);
      expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
      const text = chunks
        .map((c) => (c.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? '')
        .join('');
      expect(text).toBe('echo:gpt-4o-mini:ping');
      expect(chunks.some((c) => 'usage' in c)).toBe(false);
      expect(upstream.last.body).toMatchObject({ model: 'gpt-4o-mini', stream: true });
      expect(upstream.last.rawBody).not.toContain('conversation_id');
    });

    it('adds the usage chunk when the client asks for it', async () => {
      const res = await fetch(chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream: true, stream_options: { include_usage: true } }),
      });
      const events = sseEvents(await res.text());
      const last = JSON.parse(events.at(-2)!) as Record<string, unknown>;
      expect(last.usage).toEqual({
        prompt_tokens: expect.any(Number) as unknown,
        completion_tokens: expect.any(Number) as unknown,
        total_tokens: expect.any(Number) as unknown,
      });
    });

    it('forwards chunks before the upstream has finished, with keep-alives while it is silent', async () => {
      const held = replies.heldStream(2);
      upstream.nextResponse(held.handler);
      const res = await fetch(chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream: true }),
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let seen = '';
      const deadline = Date.now() + 5_000;
      while (
        !(seen.includes(': keep-alive') && sseEvents(seen).length >= 2) &&
        Date.now() < deadline
      ) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
      expect(sseEvents(seen).length).toBeGreaterThanOrEqual(2);
      expect(seen).toContain(': keep-alive');
      expect(seen).not.toContain('[DONE]');
      held.release();
      while (!seen.includes('[DONE]') && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value, { stream: true });
      }
      expect(seen).toContain('data: [DONE]');
    });

    it('ends a stream that fails midway with an error event', async () => {
      upstream.nextResponse(replies.partialStream(2, 'destroy'));
      const res = await fetch(chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream: true }),
      });
      expect(res.status).toBe(200);
      const events = sseEvents(await res.text());
      expect(events).not.toContain('[DONE]');
      const last = JSON.parse(events.at(-1)!) as unknown;
      expectEnvelope(last, 'provider_error', 'upstream_error');
    });

    it('answers an upstream refusal before the stream starts with a plain HTTP error', async () => {
      upstream.nextResponse(replies.rateLimited('3'));
      const res = await post(chat, { ...ask, stream: true });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expectEnvelope(res.body, 'upstream_rate_limited');
    });
  });

  describe('client disconnect', () => {
    it('closes the upstream request when a streaming client goes away', async () => {
      const held = replies.heldStream(1);
      upstream.nextResponse(held.handler);
      const controller = new AbortController();
      const res = await fetch(chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ ...ask, stream: true }),
        signal: controller.signal,
      });
      await res.body!.getReader().read();
      const left = Date.now();
      controller.abort();
      await upstream.last.clientAborted;
      expect(Date.now() - left).toBeLessThan(1_000);
    });

    it('closes the upstream request when a JSON client goes away', async () => {
      upstream.nextResponse(replies.hang());
      const controller = new AbortController();
      const pending = fetch(chat, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify(ask),
        signal: controller.signal,
      }).catch(() => undefined);
      await upstream.waitForRequest(1);
      const left = Date.now();
      controller.abort();
      await pending;
      await upstream.last.clientAborted;
      expect(Date.now() - left).toBeLessThan(1_000);
    });
  });
});

describe('streamed response headers while a provider is slow to start', () => {
  let upstream: RecordingUpstream;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });

  const open = (app: TestApp): Promise<Response> =>
    fetch(`${app.url}/native/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    });

  it('wait for the first content, so a failure before it can still go elsewhere', async () => {
    // Keep-alives ten minutes apart: nothing but content can release the headers here.
    const app = await createTestApp({
      env: {
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: GATEWAY_KEY,
        SSE_KEEPALIVE_MS: '600000',
      },
    });
    try {
      const held = replies.heldStream(0);
      upstream.nextResponse(held.handler);
      let answered = false;
      const pending = open(app).then((res) => ((answered = true), res));
      await held.paused;
      await sleep(300);
      expect(answered).toBe(false);
      held.release();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sentinel-model')).toBe('gpt-4o-mini');
      const events = sseEvents(await res.text());
      expect(events.length).toBeGreaterThan(1);
      expect(events.at(-1)).toBe('[DONE]');
    } finally {
      await app.close();
    }
  });

  it('leave after one keep-alive interval of provider silence at the latest', async () => {
    const app = await createTestApp({
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: GATEWAY_KEY, SSE_KEEPALIVE_MS: '300' },
    });
    try {
      const held = replies.heldStream(0);
      upstream.nextResponse(held.handler);
      const started = Date.now();
      const res = await open(app);
      // fetch resolved on the headers alone: the upstream has not sent a single event yet.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('x-sentinel-model')).toBe('gpt-4o-mini');
      held.release();
      const events = sseEvents(await res.text());
      expect(events.length).toBeGreaterThan(1);
      expect(events.at(-1)).toBe('[DONE]');
    } finally {
      await app.close();
    }
  });
});

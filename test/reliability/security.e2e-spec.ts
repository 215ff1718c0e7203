import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CORS_EXPOSED_HEADERS } from '../../src/configure-app';
import { sessionKey } from '../../src/session/session-key';
import { ALICE, auth, BOB, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, get, post } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';

/**
 * Security (issue part 4): ownership on every session path, debug routes gated, no client
 * credential or routing hint ever reaching an upstream, no x-powered-by, CORS off by default.
 * Log redaction is proven against a real process in log-redaction.int-spec.ts.
 */
const UPSTREAM_KEY = 'sk-gateway-upstream-key';
const ADMIN_KEY = 'admin-key-for-security-tests-0123';

describe('security', () => {
  let upstream: RecordingUpstream;
  let elsewhere: RecordingUpstream;
  let app: TestApp;
  let chat: string;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    elsewhere = await startRecordingUpstream();
    app = await createTestApp({
      env: {
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: UPSTREAM_KEY,
        SESSION_TTL_SECONDS: '600',
        // Configured but not switched on: the debug route must still not exist.
        ADMIN_API_KEY: ADMIN_KEY,
      },
    });
    chat = `${app.url}/native/v1/chat/completions`;
  });
  beforeEach(() => {
    upstream.reset();
    elsewhere.reset();
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
    await elsewhere.close();
  });

  const say = (text: string): Array<{ role: string; content: string }> => [
    { role: 'user', content: text },
  ];

  describe('ownership on every session path', () => {
    it("refuses another caller's conversation on chat (JSON, stream, model-less), GET and DELETE, and never refreshes it", async () => {
      const id = randomUUID();
      const created = await post(chat, {
        model: 'openai/alice-model',
        conversation_id: id,
        messages: say('mine'),
      });
      expect(created.headers.get('x-sentinel-session')).toBe('created');
      await sleep(1_100);
      const ttlBefore = (await app.cache!.get(sessionKey(id)))!.ttlMs;
      upstream.reset();

      const asBob = auth(BOB);
      const attempts = [
        await post(
          chat,
          { model: 'openai/bob-model', conversation_id: id, messages: say('x') },
          asBob,
        ),
        await post(chat, { conversation_id: id, messages: say('x') }, asBob),
        await post(
          chat,
          { model: 'openai/bob-model', conversation_id: id, stream: true, messages: say('x') },
          asBob,
        ),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expectEnvelope(res.body, 'conversation_forbidden', 'permission_error');
        expect(JSON.stringify(res.body)).not.toContain('alice');
      }
      const session = `${app.url}/native/v1/sessions/${id}`;
      const read = await get(session, asBob);
      const absent = await get(`${app.url}/native/v1/sessions/${randomUUID()}`, asBob);
      const removed = await get(session, asBob, 'DELETE');
      for (const res of [read, removed]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(absent.body);
      }
      expect(upstream.requests).toHaveLength(0);

      // Nothing was read back to Bob, refreshed, changed or ended.
      const ttlAfter = (await app.cache!.get(sessionKey(id)))!.ttlMs;
      expect(ttlAfter).toBeLessThanOrEqual(ttlBefore);
      const own = await get(session);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ model: 'alice-model', provider: 'openai' });
    });

    it('does not let the debug route stand in for ownership: it is off by default even with the admin key', async () => {
      const id = randomUUID();
      await post(chat, { model: 'openai/m', conversation_id: id, messages: say('x') });
      for (const headers of [{ 'x-admin-key': ADMIN_KEY }, auth(BOB), auth()]) {
        const res = await get(`${app.url}/debug/session/${id}`, headers);
        expect(res.status).toBe(404);
        expectEnvelope(res.body, 'not_found');
      }
    });
  });

  describe('nothing from the client reaches an upstream it did not configure', () => {
    it('sends only the gateway key upstream, for JSON and streams, and no client credential header', async () => {
      const clientHeaders = {
        ...auth(),
        'x-api-key': 'client-x-api-key-secret',
        'api-key': 'client-azure-key-secret',
        'openai-organization': 'org-client',
        cookie: 'session=client-cookie-secret',
        'proxy-authorization': 'Basic Y2xpZW50OnNlY3JldA==',
      };
      await post(chat, { model: 'openai/m', messages: say('json') }, clientHeaders);
      const streamed = await fetch(chat, {
        method: 'POST',
        headers: { ...clientHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/m', stream: true, messages: say('stream') }),
      });
      expect(streamed.status).toBe(200);
      await streamed.text();
      expect(upstream.requests).toHaveLength(2);
      for (const received of upstream.requests) {
        expect(received.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
        const seen = JSON.stringify(received.headers) + received.rawBody;
        for (const secret of [
          ALICE,
          'client-x-api-key-secret',
          'client-azure-key-secret',
          'org-client',
          'client-cookie-secret',
          'Y2xpZW50OnNlY3JldA==',
        ]) {
          expect(seen).not.toContain(secret);
        }
      }
    });

    it.each([
      'base_url',
      'api_base',
      'baseURL',
      'url',
      'endpoint',
      'headers',
      'extra_headers',
      'extra_body',
      'api_key',
      'provider',
    ])(
      'rejects a request field "%s" that could steer the upstream, and calls no server',
      async (field) => {
        const res = await post(chat, {
          model: 'openai/m',
          messages: say('x'),
          [field]: field.includes('header') ? { host: elsewhere.origin } : elsewhere.url,
        });
        expect(res.status).toBe(400);
        expectEnvelope(res.body, 'unknown_field');
        expect((res.body.error as { param: string }).param).toBe(field);
        expect(upstream.requests).toHaveLength(0);
        expect(elsewhere.requests).toHaveLength(0);
      },
    );

    it('treats a URL in the model name as a model name for the configured upstream only', async () => {
      const viaPrefix = await post(chat, { model: `openai/${elsewhere.url}`, messages: say('x') });
      expect(viaPrefix.status).toBe(200);
      expect(upstream.last.body.model).toBe(elsewhere.url);
      const bare = await post(chat, {
        model: `${elsewhere.url}/chat/completions`,
        messages: say('x'),
      });
      expect(bare.status).toBe(400);
      expectEnvelope(bare.body, 'unknown_provider');
      expect(elsewhere.requests).toHaveLength(0);
    });

    it('ignores routing headers such as X-Forwarded-Host', async () => {
      const res = await post(
        chat,
        { model: 'openai/m', messages: say('x') },
        {
          ...auth(),
          'x-forwarded-host': new URL(elsewhere.origin).host,
          'x-upstream-url': elsewhere.url,
        },
      );
      expect(res.status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    });
  });

  describe('headers', () => {
    it('sends no x-powered-by on JSON, stream, error, 404 and health answers', async () => {
      const answers = [
        await fetch(chat, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'openai/m', messages: say('x') }),
        }),
        await fetch(chat, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'openai/m', stream: true, messages: say('x') }),
        }),
        await fetch(chat, { method: 'POST', headers: auth('sk-wrong') }),
        await fetch(`${app.url}/nope`),
        await fetch(`${app.url}/health/ready`),
      ];
      for (const res of answers) {
        await res.arrayBuffer();
        expect(res.headers.get('x-powered-by')).toBeNull();
      }
    });
  });

  describe('CORS', () => {
    const preflight = (url: string, origin: string): Promise<Response> =>
      fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });

    it('is off by default: no Access-Control-Allow-Origin on a preflight or a simple request', async () => {
      const pre = await preflight(chat, 'https://evil.example');
      await pre.arrayBuffer();
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
      const simple = await fetch(`${app.url}/health/live`, {
        headers: { origin: 'https://evil.example' },
      });
      await simple.arrayBuffer();
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('with CORS_ORIGINS set, allows exactly the configured origins', async () => {
      const allowed = 'https://app.example.com';
      const cors = await createTestApp({
        env: { CORS_ORIGINS: `${allowed},http://localhost:5173` },
      });
      try {
        const url = `${cors.url}/native/v1/chat/completions`;
        const ok = await preflight(url, allowed);
        await ok.arrayBuffer();
        expect(ok.status).toBeLessThan(300);
        expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
        // Request ids come before CORS, so even a preflight answered by CORS can be traced.
        expect(ok.headers.get('x-request-id')).toEqual(expect.any(String));
        const denied = await preflight(url, 'https://evil.example');
        await denied.arrayBuffer();
        expect(denied.headers.get('access-control-allow-origin')).toBeNull();
        const simple = await fetch(`${cors.url}/health/live`, { headers: { origin: allowed } });
        await simple.arrayBuffer();
        expect(simple.headers.get('access-control-allow-origin')).toBe(allowed);
        expect(simple.headers.get('x-request-id')).toEqual(expect.any(String));
        expect(simple.headers.get('access-control-expose-headers')?.split(',')).toEqual(
          CORS_EXPOSED_HEADERS,
        );
        // A browser app reads the routing headers of a real answer.
        const answer = await fetch(url, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json', origin: allowed },
          body: JSON.stringify({ model: 'echo/m', messages: [{ role: 'user', content: 'hi' }] }),
        });
        await answer.arrayBuffer();
        expect(answer.headers.get('access-control-allow-origin')).toBe(allowed);
        expect(answer.headers.get('access-control-expose-headers')).toContain('x-sentinel-model');
        expect(answer.headers.get('x-sentinel-model')).toBe('m');
      } finally {
        await cors.close();
      }
    });
  });
});

import { createTestApp, TestApp, auth, ALICE } from '../support/create-test-app';
import { expectEnvelope, get, post } from '../support/http';

const chat = (app: TestApp): string => `${app.url}/native/v1/chat/completions`;
const valid = { model: 'echo/test-model', messages: [{ role: 'user', content: 'hello there' }] };

describe('HTTP contract: auth, validation, errors, health', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { MAX_BODY_BYTES: '4096' } });
  });
  afterAll(() => app.close());

  describe('authentication', () => {
    it('serves a caller with a known key', async () => {
      const res = await post(chat(app), valid);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ object: 'chat.completion', model: 'test-model' });
    });

    it.each([
      ['no Authorization header', {}, 'missing_api_key'],
      ['a non-Bearer scheme', { authorization: `Basic ${ALICE}` }, 'missing_api_key'],
      ['an empty bearer', { authorization: 'Bearer ' }, 'missing_api_key'],
      ['an unknown key', { authorization: 'Bearer sk-nobody-knows-me' }, 'invalid_api_key'],
      [
        'a key differing in case',
        { authorization: `Bearer ${ALICE.toUpperCase()}` },
        'invalid_api_key',
      ],
    ])('answers 401 to %s', async (_, headers, code) => {
      const res = await post(chat(app), valid, headers);
      expect(res.status).toBe(401);
      expectEnvelope(res.body, code, 'authentication_error');
      expect(JSON.stringify(res.body)).not.toContain('sk-');
    });

    it('checks auth before validating the body', async () => {
      const res = await post(chat(app), { nonsense: true }, {});
      expect(res.status).toBe(401);
    });
  });

  describe('request validation over HTTP', () => {
    it.each([
      ['an unknown top-level field', { ...valid, cache_ttl: 60 }, 'unknown_field', 'cache_ttl'],
      ['an unknown tier', { ...valid, tier: 'gold' }, 'invalid_value', 'tier'],
      [
        'a bad role',
        { ...valid, messages: [{ role: 'bot', content: 'x' }] },
        'invalid_value',
        'messages[0].role',
      ],
      ['temperature 3', { ...valid, temperature: 3 }, 'invalid_value', 'temperature'],
      ['no model without conversation', { messages: valid.messages }, 'model_required', 'model'],
      ['an unknown provider', { ...valid, model: 'nope/x' }, 'unknown_provider', 'model'],
      ['a disabled provider', { ...valid, model: 'openai/gpt-4o' }, 'unknown_provider', 'model'],
    ])('answers 400 to %s', async (_, body, code, param) => {
      const res = await post(chat(app), body);
      expect(res.status).toBe(400);
      expectEnvelope(res.body, code, 'invalid_request_error');
      expect((res.body.error as { param: string }).param).toBe(param);
    });

    it('answers 400 invalid_json to malformed JSON', async () => {
      const res = await post(chat(app), '{"model": "echo/x", "messages": [');
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'invalid_json');
    });

    it('answers 400 invalid_json to JSON nested far too deep', async () => {
      const deep = '['.repeat(1_500) + ']'.repeat(1_500);
      const res = await post(chat(app), `{"model":"echo/x","messages":${deep}}`);
      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'invalid_json');
    });

    it('answers 415 to a body that is not JSON', async () => {
      const res = await fetch(chat(app), {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(res.status).toBe(415);
      expectEnvelope(await res.json(), 'unsupported_media_type');
    });

    it('answers 413 to a body over MAX_BODY_BYTES', async () => {
      const big = { ...valid, messages: [{ role: 'user', content: 'x'.repeat(8192) }] };
      const res = await post(chat(app), big);
      expect(res.status).toBe(413);
      expectEnvelope(res.body, 'payload_too_large');
    });

    it('answers 400 to an empty body', async () => {
      const res = await fetch(chat(app), { method: 'POST', headers: auth() });
      expect(res.status).toBe(400);
      expectEnvelope(await res.json(), 'invalid_value');
    });
  });

  describe('every route answers with the envelope', () => {
    it('404s unknown routes', async () => {
      const res = await get(`${app.url}/nope`);
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'not_found', 'not_found_error');
    });

    it('404s the debug route when debug endpoints are off', async () => {
      const res = await get(`${app.url}/debug/session/abc`, {
        'x-admin-key': 'anything-at-all-123',
      });
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'not_found');
    });

    it('sends no x-powered-by and always an x-request-id', async () => {
      const res = await fetch(`${app.url}/health/live`);
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('echoes a well-formed inbound x-request-id and replaces a hostile one', async () => {
      const kept = await fetch(`${app.url}/health/live`, {
        headers: { 'x-request-id': 'trace-42' },
      });
      expect(kept.headers.get('x-request-id')).toBe('trace-42');
      const replaced = await fetch(`${app.url}/health/live`, {
        headers: { 'x-request-id': 'a'.repeat(500) },
      });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('chat response headers', () => {
    it('names provider, model and session outcome', async () => {
      const res = await post(chat(app), valid);
      expect(res.headers.get('x-sentinel-provider')).toBe('echo');
      expect(res.headers.get('x-sentinel-model')).toBe('test-model');
      expect(res.headers.get('x-sentinel-session')).toBe('none');
      expect(res.headers.get('x-request-id')).toBeTruthy();
    });

    it('routes a bare model name to DEFAULT_PROVIDER', async () => {
      const res = await post(chat(app), { ...valid, model: 'plain-model' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sentinel-provider')).toBe('echo');
      expect(res.headers.get('x-sentinel-model')).toBe('plain-model');
    });
  });

  describe('health', () => {
    it('is live and ready with the in-memory store', async () => {
      expect((await get(`${app.url}/health/live`, {})).status).toBe(200);
      const ready = await get(`${app.url}/health/ready`, {});
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', details: { cache: { status: 'up' } } });
    });
  });
});

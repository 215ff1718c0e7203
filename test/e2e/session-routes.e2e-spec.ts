import { randomUUID } from 'node:crypto';
import { auth, BOB, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, get, post } from '../support/http';

const ADMIN_KEY = 'admin-key-for-tests-0123456789';

describe('session routes', () => {
  let app: TestApp;
  const start = async (conversationId: string, model = 'echo/model-a'): Promise<void> => {
    const res = await post(`${app.url}/native/v1/chat/completions`, {
      model,
      conversation_id: conversationId,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.headers.get('x-sentinel-session')).toBe('created');
  };
  const session = (id: string): string => `${app.url}/native/v1/sessions/${encodeURIComponent(id)}`;

  beforeAll(async () => {
    app = await createTestApp({
      env: { DEBUG_ENDPOINTS: 'true', ADMIN_API_KEY: ADMIN_KEY, SESSION_TTL_SECONDS: '600' },
    });
  });
  afterAll(() => app.close());

  it("GET returns the caller's own session with its remaining lifetime", async () => {
    const id = randomUUID();
    await start(id);
    const res = await get(session(id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      conversation_id: id,
      provider: 'echo',
      model: 'model-a',
      deployment: 'echo',
      group: null,
      tier: null,
      home_deployment: 'echo',
      migration_count: 0,
      migrations: [],
      created_at: expect.any(Number) as unknown,
      expires_in: expect.any(Number) as unknown,
    });
    expect(res.body.expires_in).toBeGreaterThan(590);
    expect(res.body.expires_in).toBeLessThanOrEqual(600);
    expect(Math.abs((res.body.created_at as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('GET is 404 for an absent session and for someone else’s, alike', async () => {
    const id = randomUUID();
    await start(id);
    const foreign = await get(session(id), auth(BOB));
    const absent = await get(session(randomUUID()), auth(BOB));
    for (const res of [foreign, absent]) {
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'session_not_found', 'not_found_error');
    }
    expect(foreign.body).toEqual(absent.body);
  });

  it('DELETE ends the caller’s own session, after which the next request starts afresh', async () => {
    const id = randomUUID();
    await start(id, 'echo/model-a');
    const del = await fetch(session(id), { method: 'DELETE', headers: auth() });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    expect((await get(session(id))).status).toBe(404);
    await start(id, 'echo/model-b');
    expect((await get(session(id))).body.model).toBe('model-b');
  });

  it('DELETE of someone else’s session is 404 and leaves it in place', async () => {
    const id = randomUUID();
    await start(id);
    const res = await get(session(id), auth(BOB), 'DELETE');
    expect(res.status).toBe(404);
    expectEnvelope(res.body, 'session_not_found');
    expect((await get(session(id))).status).toBe(200);
  });

  it('needs authentication', async () => {
    const res = await get(session('x'), {});
    expect(res.status).toBe(401);
  });

  it('rejects a malformed conversation id', async () => {
    const res = await get(session('has space'));
    expect(res.status).toBe(400);
    expectEnvelope(res.body, 'invalid_value');
  });

  describe('debug endpoint', () => {
    it('shows any session to an operator with the admin key', async () => {
      const id = randomUUID();
      await start(id);
      const res = await get(`${app.url}/debug/session/${id}`, { 'x-admin-key': ADMIN_KEY });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id,
        provider: 'echo',
        model: 'model-a',
        external_id: 'alice',
      });
    });

    it.each([
      ['no admin key', {}],
      ['a wrong admin key', { 'x-admin-key': 'wrong-key-wrong-key-wrong' }],
      ['a caller key instead', auth()],
    ])('is 404 with %s', async (_, headers) => {
      const res = await get(`${app.url}/debug/session/${randomUUID()}`, headers);
      expect(res.status).toBe(404);
      expectEnvelope(res.body, 'not_found');
    });
  });
});

import { auth } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import {
  RecordingUpstream,
  replies,
  startRecordingUpstream,
  UPSTREAM_SECRET,
} from '../support/recording-upstream';

const ALICE_KEY = 'sk-alice-test-key';
const SECRETS = {
  ALICE_KEY,
  BOB_KEY: 'sk-bob-test-key',
  WRONG_KEY: 'sk-wrong-key-that-must-not-be-logged',
  ADMIN_API_KEY: 'admin-key-for-log-test-0123456789',
  OPENAI_API_KEY: 'sk-upstream-key-for-log-test',
  DOCS_API_KEY: 'docs-key-for-log-test-0123456789',
  METRICS_TOKEN: 'metrics-token-for-log-test-0123',
};

type LogLine = Record<string, unknown>;

describe('request log (the production build as a real process)', () => {
  let upstream: RecordingUpstream;
  let gateway: GatewayProcess;
  let lines: LogLine[];
  let output: string;

  const call = async (
    requestId: string,
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<number> => {
    const res = await fetch(`${gateway.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'x-request-id': requestId,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    await res.text();
    return res.status;
  };
  const chat = (requestId: string, body: object, key = ALICE_KEY): Promise<number> =>
    call(requestId, '/native/v1/chat/completions', { body, headers: auth(key) });
  const lineOf = (requestId: string): LogLine[] =>
    lines.filter((line) => line.request_id === requestId);

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    gateway = await startGatewayProcess({
      API_KEYS: `alice:${ALICE_KEY},bob:${SECRETS.BOB_KEY}`,
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: SECRETS.OPENAI_API_KEY,
      DEFAULT_PROVIDER: 'openai',
      DEBUG_ENDPOINTS: 'true',
      ADMIN_API_KEY: SECRETS.ADMIN_API_KEY,
      DOCS_API_KEY: SECRETS.DOCS_API_KEY,
      METRICS_TOKEN: SECRETS.METRICS_TOKEN,
      LOG_LEVEL: 'info',
    });

    const say = [{ role: 'user', content: 'hello' }];
    expect(
      await chat('req-created', { model: 'openai/m-1', conversation_id: 'c-1', messages: say }),
    ).toBe(200);
    expect(await chat('req-stream', { conversation_id: 'c-1', stream: true, messages: say })).toBe(
      200,
    );
    expect(
      await chat('req-forbidden', { conversation_id: 'c-1', messages: say }, SECRETS.BOB_KEY),
    ).toBe(403);
    upstream.nextResponse(replies.status(500));
    expect(await chat('req-upstream-500', { model: 'openai/m-1', messages: say })).toBe(502);
    expect(
      await chat('req-unauthorized', { model: 'openai/m-1', messages: say }, SECRETS.WRONG_KEY),
    ).toBe(401);
    const admin = { 'x-admin-key': SECRETS.ADMIN_API_KEY };
    expect(await call('req-debug', '/debug/session/c-1', { headers: admin })).toBe(200);
    const docs = { 'x-docs-key': SECRETS.DOCS_API_KEY };
    expect(await call('req-docs', '/native/docs/openapi.json', { headers: docs })).toBe(200);
    const metrics = { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` };
    expect(await call('req-metrics', '/metrics', { headers: metrics })).toBe(200);
    expect(await call('req-probe', '/health/ready')).toBe(200);
    expect(await call('req-missing', '/nope?token=abc')).toBe(404);

    // A clean exit flushes the log before we read it.
    gateway.signal('SIGTERM');
    expect(await gateway.exited).toBe(0);
    output = gateway.output();
    lines = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
  }, 30_000);
  afterAll(async () => {
    await gateway?.kill();
    await upstream?.close();
  });

  it('writes only JSON lines', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(typeof line.time).toBe('string');
  });

  it('writes one line per request with ids, routing, session outcome, status and durations', () => {
    const [created] = lineOf('req-created');
    expect(lineOf('req-created')).toHaveLength(1);
    expect(created).toMatchObject({
      level: 'info',
      msg: 'request completed',
      method: 'POST',
      route: '/native/v1/chat/completions',
      status: 200,
      external_id: 'alice',
      provider: 'openai',
      model: 'm-1',
      session: 'created',
      mode: 'json',
    });
    for (const field of ['duration_ms', 'upstream_ms', 'gateway_ms']) {
      expect(typeof created[field]).toBe('number');
    }
    expect(lineOf('req-stream')).toEqual([
      expect.objectContaining({ session: 'reused', mode: 'stream', ttfb_ms: expect.any(Number) }),
    ]);
    expect(lineOf('req-forbidden')).toEqual([
      expect.objectContaining({
        status: 403,
        external_id: 'bob',
        session: 'forbidden',
        error_code: 'conversation_forbidden',
      }),
    ]);
    expect(lineOf('req-upstream-500')).toEqual([
      expect.objectContaining({
        level: 'error',
        status: 502,
        provider: 'openai',
        session: 'none',
        error_code: 'provider_error',
        upstream_error: 'provider_error',
      }),
    ]);
    expect(lineOf('req-unauthorized')).toEqual([
      expect.objectContaining({ status: 401, error_code: 'invalid_api_key' }),
    ]);
    expect(lineOf('req-debug')).toEqual([
      expect.objectContaining({ status: 200, route: '/debug/session/:conversation_id' }),
    ]);
    expect(lineOf('req-docs')).toEqual([expect.objectContaining({ status: 200 })]);
    expect(lineOf('req-missing')).toEqual([
      expect.objectContaining({ status: 404, route: 'unmatched', path: '/nope' }),
    ]);
  });

  it('logs probes and scrapes only at debug level', () => {
    expect(lineOf('req-metrics')).toEqual([]);
    expect(lineOf('req-probe')).toEqual([]);
  });

  it('never writes a key, a token or an upstream error body', () => {
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect([name, output.includes(secret)]).toEqual([name, false]);
    }
    expect(output).not.toContain(UPSTREAM_SECRET);
    expect(output).not.toMatch(/authorization/i);
  });
});

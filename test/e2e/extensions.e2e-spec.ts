import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { auth, BOB } from '../support/create-test-app';
import { expectEnvelope, get, post, sseEvents } from '../support/http';
import { replies, UPSTREAM_SECRET, UpstreamHandler } from '../support/recording-upstream';
import { deployment, RoutingApp, startRoutingApp } from '../support/routing-app';
import { AuditEntry, AuditHook } from '../support/sample-extension/audit.hook';
import { CommandProbeHook } from '../support/sample-extension/command-probe.hook';
import { MAX_TOKENS_CAP } from '../support/sample-extension/max-tokens-cap.hook';
import type { ReverseWireRequest } from '../support/sample-extension/reverse-wire';
import { SampleExtensionModule } from '../support/sample-extension/sample-extension.module';
import { HOUSE_RULES } from '../support/sample-extension/system-prompt.hook';
import { FORBIDDEN_MARKER, TopicPolicyHook } from '../support/sample-extension/topic-policy.hook';

/** The team's `reverse` service: answers with the reversed text it received. */
const reverseService: UpstreamHandler = ({ request, res }) => {
  const { text } = request.body as Partial<ReverseWireRequest>;
  const reversed = [...String(text ?? '')].reverse().join('');
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: `rev-${randomUUID()}`,
      reversed,
      characters: { input: reversed.length, output: reversed.length },
    }),
  );
};

const routingFile = (urls: Record<string, string>): string => `
version: 1
defaults:
  health: { consecutive_failures: 10 }
deployments:
${deployment('oai', urls)}
${deployment('rev', urls, { provider: 'reverse', model: 'rev-1' })}
`;

const REPO = join(__dirname, '..', '..');

const unindented = (code: string): string =>
  code
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();

/**
 * The code blocks of docs/EXTENDING.md whose first line names a file (`// test/...`), split at
 * `// …` lines into the pieces that must appear verbatim in that file (indentation aside: the
 * formatter re-indents code in Markdown).
 */
function documentedExcerpts(): { file: string; piece: string }[] {
  const doc = readFileSync(join(REPO, 'docs', 'EXTENDING.md'), 'utf8');
  const blocks = [...doc.matchAll(/```ts\n\/\/ ((?:src|test)\/\S+\.ts)\n([\s\S]*?)```/g)];
  return blocks.flatMap(([, file, body]) =>
    body
      .split(/^\s*\/\/ …\n/m)
      .map(unindented)
      .filter((piece) => piece !== '')
      .map((piece) => ({ file, piece })),
  );
}

const user = (content: string): { role: string; content: string } => ({ role: 'user', content });

describe('a team extending Sentinel: AppModule plus its own module (routes, hooks, an adapter)', () => {
  let app: RoutingApp;
  let audit: AuditHook;
  let probe: CommandProbeHook;
  let policy: TopicPolicyHook;

  beforeAll(async () => {
    app = await startRoutingApp(['oai', 'rev'], routingFile, {
      imports: [SampleExtensionModule],
    });
    audit = app.app.get(AuditHook);
    probe = app.app.get(CommandProbeHook);
    policy = app.app.get(TopicPolicyHook);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(() => {
    app.reset();
    app.upstreams.rev.respondWith(reverseService);
    audit.entries.length = 0;
    probe.seen.length = 0;
    policy.refusedFor.length = 0;
  });

  /** Audit entries are written when the request ends, which may be just after the client's read. */
  async function auditEntries(count: number): Promise<AuditEntry[]> {
    for (let i = 0; i < 200 && audit.entries.length < count; i++) await sleep(5);
    return audit.entries;
  }

  it('is what docs/EXTENDING.md shows: every marked snippet is an excerpt of its file', () => {
    const excerpts = documentedExcerpts();

    expect(new Set(excerpts.map((e) => e.file)).size).toBeGreaterThanOrEqual(8);
    for (const { file, piece } of excerpts) {
      expect({
        file,
        found: unindented(readFileSync(join(REPO, file), 'utf8')).includes(piece),
      }).toEqual({
        file,
        found: true,
      });
    }
  });

  describe('its own routes', () => {
    it("answers GET /ext/v1/whoami with the authenticated caller's external id", async () => {
      const alice = await get(`${app.url}/ext/v1/whoami`);
      const bob = await get(`${app.url}/ext/v1/whoami`, auth(BOB));

      expect(alice.status).toBe(200);
      expect(alice.body).toEqual({ external_id: 'alice', strategy: 'api_key' });
      expect(bob.body).toEqual({ external_id: 'bob', strategy: 'api_key' });
    });

    it('refuses a missing or unknown key with the 401 error envelope, like every gateway route', async () => {
      const missing = await get(`${app.url}/ext/v1/whoami`, {});
      const wrong = await get(`${app.url}/ext/v1/whoami`, auth('sk-nobody'));

      expect(missing.status).toBe(401);
      expectEnvelope(missing.body, 'missing_api_key', 'authentication_error');
      expect(wrong.status).toBe(401);
      expectEnvelope(wrong.body, 'invalid_api_key', 'authentication_error');
    });

    it("appear in the gateway's OpenAPI document", async () => {
      const doc = await get<{ paths: Record<string, unknown> }>(
        `${app.url}/native/docs/openapi.json`,
      );

      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/ext/v1/whoami', '/ext/v1/ask']),
      );
    });

    it('reuses ChatService: its answer is routed, hooked and served like a chat request', async () => {
      const res = await post(`${app.url}/ext/v1/ask`, { question: 'hi there', model: 'openai/m1' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ answer: 'echo:m1:hi there', deployment: 'oai' });
      const sent = app.upstreams.oai.last.body;
      expect(sent.model).toBe('m1');
      expect(sent.messages).toEqual([{ role: 'system', content: HOUSE_RULES }, user('hi there')]);
      expect(await auditEntries(1)).toMatchObject([{ deployment: 'oai', outcome: 'ok' }]);
    });

    it("validates its DTO with the gateway's pipe and reports ChatService errors in the envelope", async () => {
      const extra = await post(`${app.url}/ext/v1/ask`, { question: 'x', temperature: 1 });
      const unknownModel = await post(`${app.url}/ext/v1/ask`, { question: 'x', model: 'nope/x' });

      expect(extra.status).toBe(400);
      expectEnvelope(extra.body, 'unknown_field');
      expect(unknownModel.status).toBe(400);
      expectEnvelope(unknownModel.body, 'unknown_provider');
      expect(app.callsTo('oai') + app.callsTo('rev')).toBe(0);
    });
  });

  describe('chat hooks', () => {
    it('rewrites the request before routing: the upstream gets the system message and the capped max_tokens', async () => {
      const big = await post(app.chat, {
        model: 'openai/m1',
        max_tokens: 4000,
        messages: [user('tell me more')],
      });
      const small = await post(app.chat, {
        model: 'openai/m1',
        max_tokens: 100,
        messages: [user('briefly')],
      });

      expect(big.status).toBe(200);
      expect(small.status).toBe(200);
      const [first, second] = app.upstreams.oai.requests.map((r) => r.body);
      expect(first.messages).toEqual([
        { role: 'system', content: HOUSE_RULES },
        user('tell me more'),
      ]);
      expect(first.max_tokens).toBe(MAX_TOKENS_CAP);
      expect(second.max_tokens).toBe(100);
    });

    it('runs beforeChat hooks in module order, each seeing the command the previous one returned', async () => {
      await post(app.chat, { model: 'openai/m1', messages: [user('one')] });

      // The probe is registered after both rewriting hooks: it sees both rewrites.
      expect(probe.seen).toEqual([{ roles: ['system', 'user'], maxTokens: MAX_TOKENS_CAP }]);
    });

    it('audits how JSON and streamed requests ended (deployment, outcome), never their text', async () => {
      const prompt = 'my secret question 4711';
      const json = await post(app.chat, { model: 'openai/m1', messages: [user(prompt)] });
      const stream = await fetch(app.chat, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(BOB) },
        body: JSON.stringify({ model: 'reverse/rev-1', stream: true, messages: [user(prompt)] }),
      });
      await stream.text();

      const entries = await auditEntries(2);
      expect(json.status).toBe(200);
      expect(entries).toEqual([
        {
          requestId: json.headers.get('x-request-id'),
          caller: 'alice',
          deployment: 'oai',
          model: 'm1',
          attempts: 1,
          stream: false,
          outcome: 'ok',
          errorCode: null,
        },
        {
          requestId: stream.headers.get('x-request-id'),
          caller: 'bob',
          deployment: 'rev',
          model: 'rev-1',
          attempts: 1,
          stream: true,
          outcome: 'ok',
          errorCode: null,
        },
      ]);
      expect(JSON.stringify(entries)).not.toContain('4711');
    });

    it('audits a failed request with the error code the client got', async () => {
      app.upstreams.oai.nextResponse(replies.status(500));

      const res = await post(app.chat, { model: 'openai/m1', messages: [user('fail')] });

      expect(res.status).toBe(502);
      expectEnvelope(res.body, 'provider_error');
      expect(await auditEntries(1)).toMatchObject([
        { deployment: 'oai', outcome: 'error', errorCode: 'provider_error' },
      ]);
    });

    it('refuses a request from beforeChat: the error envelope, nothing upstream, no session, no rewrite', async () => {
      const conversation = `conv-${randomUUID()}`;

      const res = await post(app.chat, {
        model: 'openai/m1',
        conversation_id: conversation,
        messages: [user(`about the ${FORBIDDEN_MARKER}, please`)],
      });

      expect(res.status).toBe(400);
      expectEnvelope(res.body, 'invalid_value', 'invalid_request_error');
      expect((res.body as { error: { param: unknown } }).error.param).toBe('messages');
      expect(JSON.stringify(res.body)).not.toContain('please');
      expect(policy.refusedFor).toEqual(['alice']);
      await sleep(50);
      expect(app.callsTo('oai') + app.callsTo('rev')).toBe(0);
      const session = await get(`${app.url}/native/v1/sessions/${conversation}`);
      expect(session.status).toBe(404);
      expectEnvelope(session.body, 'session_not_found');
      // The policy hook runs first: the rewriting hooks never saw the refused request.
      expect(probe.seen).toEqual([]);
      // The refusal is audited: no deployment was tried, the client got invalid_value.
      expect(audit.entries).toEqual([
        expect.objectContaining({
          caller: 'alice',
          deployment: null,
          attempts: 0,
          outcome: 'error',
          errorCode: 'invalid_value',
        }),
      ]);
    });
  });

  describe('a team adapter (`provider: reverse` in the routing file)', () => {
    it('serves a JSON answer from its own upstream, which receives its wire format and key', async () => {
      const res = await post(app.chat, {
        model: 'reverse/rev-1',
        seed: 7,
        messages: [user('first'), { role: 'assistant', content: 'ok' }, user('stressed')],
      });

      expect(res.status).toBe(200);
      expect(
        (res.body as { choices: { message: { content: string } }[] }).choices[0].message,
      ).toEqual({ role: 'assistant', content: 'desserts' });
      expect(res.headers.get('x-sentinel-provider')).toBe('reverse');
      expect(res.headers.get('x-sentinel-deployment')).toBe('rev');
      expect(res.headers.get('x-sentinel-dropped-params')).toBe('seed');
      const received = app.upstreams.rev.last;
      expect(received.method).toBe('POST');
      expect(received.path).toBe('/v1/reverse');
      expect(received.headers.authorization).toBe('Bearer sk-upstream-rev-key');
      expect(received.body).toEqual({ model: 'rev-1', text: 'stressed' });
      expect(app.callsTo('oai')).toBe(0);
    });

    it('streams its answer as SSE chunks ending with [DONE]', async () => {
      const res = await fetch(app.chat, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth() },
        body: JSON.stringify({ model: 'reverse/rev-1', stream: true, messages: [user('drawer')] }),
      });
      const events = sseEvents(await res.text());

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(events.at(-1)).toBe('[DONE]');
      const text = events
        .slice(0, -1)
        .map((e) => JSON.parse(e) as { choices: { delta: { content?: string } }[] })
        .map((chunk) => chunk.choices[0]?.delta.content ?? '')
        .join('');
      expect(text).toBe('reward');
      expect(app.upstreams.rev.last.body).toEqual({ model: 'rev-1', text: 'drawer' });
    });

    it('maps its upstream failures through ProviderError: 429 and an unreadable body', async () => {
      // Last in this file: a 429 cools the deployment down.
      app.upstreams.rev.nextResponse(replies.text('not json at all'), replies.rateLimited());

      const malformed = await post(app.chat, { model: 'reverse/rev-1', messages: [user('b')] });
      const limited = await post(app.chat, { model: 'reverse/rev-1', messages: [user('a')] });

      expect(limited.status).toBe(429);
      expectEnvelope(limited.body, 'upstream_rate_limited', 'rate_limit_error');
      expect(malformed.status).toBe(502);
      expectEnvelope(malformed.body, 'provider_error', 'upstream_error');
      expect(JSON.stringify([limited.body, malformed.body])).not.toContain(UPSTREAM_SECRET);
    });
  });
});

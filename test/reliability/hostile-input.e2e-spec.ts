import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { auth, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, sseEvents } from '../support/http';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import everyOptionalParam from '../../src/chat/dto/fixtures/every-optional-param.json';
import { CHAT_ROLES } from '../../src/chat/dto/chat-message.dto';
import { OPTIONAL_PARAMS } from '../../src/providers/llm-types';
import { get } from '../support/http';
import { assertEnvelope, rawRequest, socketExchange } from './raw-http';

/**
 * Hostile input (issue: reliability and security, part 3): bodies over the limit, wrong types,
 * nesting and width bombs, odd strings, and a property-based fuzz over the request schema.
 * The app runs with the documented defaults (MAX_BODY_BYTES 5 MiB).
 */
const DEFAULT_MAX_BODY_BYTES = 5_242_880;
const valid = { model: 'echo/m', messages: [{ role: 'user', content: 'hi' }] };

describe('hostile input', () => {
  let app: TestApp;
  let upstream: RecordingUpstream;
  let chat: string;
  let port: number;
  const json = { ...auth(), 'content-type': 'application/json' };

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-gateway-upstream-key' },
    });
    chat = `${app.url}/native/v1/chat/completions`;
    port = Number(new URL(app.url).port);
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  const headLines = (extra: string[]): string =>
    [
      'POST /native/v1/chat/completions HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: ${auth().authorization}`,
      'Content-Type: application/json',
      ...extra,
      '',
      '',
    ].join('\r\n');

  describe('body limit (MAX_BODY_BYTES, default 5 MiB)', () => {
    it('answers 413 to a declared length over the limit at once, then closes after a bounded drain', async () => {
      const head = headLines(['Content-Length: 104857600']) + '{"model":"echo/m","messages":[';
      const exchange = await socketExchange(port, head, 3_000);
      expect(exchange.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(exchange.received).toContain('"payload_too_large"');
      expect(exchange.firstByteAfterMs).not.toBeNull();
      expect(exchange.firstByteAfterMs!).toBeLessThan(1_000);
      // The rest is read and dropped for a bounded time (so a client still uploading can read
      // the 413), then the server closes: we never sent the other ~100 MB.
      expect(exchange.closedAfterMs).not.toBeNull();
      expect(exchange.closedAfterMs!).toBeLessThan(1_500);
    });

    it('answers 413 to a chunked body once it passes the limit, without waiting for its end', async () => {
      const piece = 'x'.repeat(64 * 1024);
      const chunks = Math.ceil(DEFAULT_MAX_BODY_BYTES / piece.length) + 1;
      const body = `${piece.length.toString(16)}\r\n${piece}\r\n`.repeat(chunks);
      // The terminating zero-length chunk is never sent: the body has no end.
      const exchange = await socketExchange(
        port,
        headLines(['Transfer-Encoding: chunked']) + body,
        3_000,
      );
      expect(exchange.received).toMatch(/^HTTP\/1\.1 413 /);
      expect(exchange.received).toContain('"payload_too_large"');
      expect(exchange.closedAfterMs).not.toBeNull();
    });

    it('serves a large body under the limit (4 MB of message text)', async () => {
      const content = 'y'.repeat(4_000_000);
      const res = await fetch(chat, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ ...valid, messages: [{ role: 'user', content }] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
      expect(body.choices[0].message.content).toHaveLength(content.length);
    });
  });

  describe('content type', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['form data', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
      ['xml', 'application/xml'],
      ['a JSON look-alike', 'application/jsonp'],
      ['a non-UTF charset', 'application/json; charset=latin1'],
    ])('answers 415 to %s', async (_, contentType) => {
      const res = await rawRequest(chat, {
        headers: { ...auth(), 'content-type': contentType },
        body: JSON.stringify(valid),
      });
      expect(res.status).toBe(415);
      expect(assertEnvelope(res.status, res.text)).toBe('unsupported_media_type');
    });

    // Plain UTF-8 bodies take the gateway's own reader; the rest go through body-parser.
    it.each([
      ['an explicit UTF-8 charset', { 'content-type': 'application/json; charset=UTF-8' }, 'utf8'],
      ['a byte order mark', { 'content-type': 'application/json' }, 'bom'],
      ['UTF-16', { 'content-type': 'application/json; charset=utf-16le' }, 'utf16le'],
      ['gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'gzip'],
    ] as const)('reads a body with %s', async (_, headers, form) => {
      const text = JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'héllo ✓' }] });
      const body =
        form === 'gzip'
          ? gzipSync(text)
          : form === 'bom'
            ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
            : Buffer.from(text, form);
      const res = await rawRequest(chat, { headers: { ...auth(), ...headers }, body });
      expect(res.status).toBe(200);
      const answer = JSON.parse(res.text) as { choices: Array<{ message: { content: string } }> };
      expect(answer.choices[0].message.content).toBe('héllo ✓');
    });

    it('answers 400 invalid_json to broken JSON, on either reader', async () => {
      for (const headers of [{}, { 'content-encoding': 'gzip' }] as Record<string, string>[]) {
        const text = '{"model":';
        const body = 'content-encoding' in headers ? gzipSync(text) : Buffer.from(text);
        const res = await rawRequest(chat, { headers: { ...json, ...headers }, body });
        expect(res.status).toBe(400);
        expect(assertEnvelope(res.status, res.text)).toBe('invalid_json');
      }
    });

    it('answers 400 invalid_value "must be a JSON object" (param null) to an array or scalar, on either reader', async () => {
      for (const headers of [{}, { 'content-encoding': 'gzip' }] as Record<string, string>[]) {
        for (const text of ['[1]', '[]', '"just a string"', '42', 'true', 'null']) {
          const body = 'content-encoding' in headers ? gzipSync(text) : Buffer.from(text);
          const res = await rawRequest(chat, { headers: { ...json, ...headers }, body });
          expect([text, res.status]).toEqual([text, 400]);
          expect(JSON.parse(res.text)).toEqual({
            error: {
              message: 'The request body must be a JSON object.',
              type: 'invalid_request_error',
              code: 'invalid_value',
              param: null,
            },
          });
        }
      }
      expect(upstream.requests).toHaveLength(0);
    });

    it('answers 415 to a body without any Content-Type', async () => {
      const res = await rawRequest(chat, { headers: auth(), body: JSON.stringify(valid) });
      expect(res.status).toBe(415);
      expect(assertEnvelope(res.status, res.text)).toBe('unsupported_media_type');
    });
  });

  describe('nesting and width bombs', () => {
    it.each([
      ['arrays nested 1,000,000 deep', '['.repeat(1_000_000) + ']'.repeat(1_000_000)],
      ['objects nested 300,000 deep', '{"a":'.repeat(300_000) + '1' + '}'.repeat(300_000)],
    ])('rejects %s quickly with 400 invalid_json', async (_, messages) => {
      const body = `{"model":"echo/m","messages":${messages}}`;
      const started = Date.now();
      const res = await rawRequest(chat, { headers: json, body });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(400);
      expect(assertEnvelope(res.status, res.text)).toBe('invalid_json');
      expect(elapsed).toBeLessThan(2_000);
    });

    it('rejects an object with 100,000 keys quickly (class-transformer is quadratic in keys)', async () => {
      const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
      const body = JSON.stringify({ ...valid, ...wide });
      const started = Date.now();
      const res = await rawRequest(chat, { headers: json, body });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(400);
      expect(assertEnvelope(res.status, res.text)).toBe('invalid_json');
      // It took 8-16 s before the width limit (MAX_OBJECT_KEYS).
      expect(elapsed).toBeLessThan(3_000);
    });

    it('still forwards a tool schema with 500 properties in one object', async () => {
      const properties = Object.fromEntries(
        Array.from({ length: 500 }, (_, i) => [`field_${i}`, { type: 'string' }]),
      );
      const tool = { type: 'function', function: { name: 'wide', parameters: { properties } } };
      const res = await rawRequest(chat, {
        headers: json,
        body: JSON.stringify({ ...valid, model: 'openai/gpt-x', tools: [tool] }),
      });
      expect(res.status).toBe(200);
      const sent = upstream.last.body.tools as Array<{
        function: { parameters: { properties: object } };
      }>;
      expect(Object.keys(sent[0].function.parameters.properties)).toHaveLength(500);
    });
  });

  describe('odd strings: served verbatim, never a 5xx', () => {
    const odd = 'nul:\u0000 lone-high:\ud800 lone-low:\udfff bom:\ufeff rtl:\u202e end';

    it('forwards NUL and lone surrogates to the upstream as JSON escapes, and answers 200', async () => {
      const res = await rawRequest(chat, {
        headers: json,
        body: JSON.stringify({
          ...valid,
          model: 'openai/gpt-x',
          messages: [{ role: 'user', content: odd }],
        }),
      });
      expect(res.status).toBe(200);
      expect(upstream.last.rawBody).toContain('\\u0000');
      expect(upstream.last.rawBody).toContain('\\ud800');
      expect((upstream.last.body.messages as Array<{ content: string }>)[0].content).toBe(odd);
    });

    it('streams them back as well-formed UTF-8 SSE', async () => {
      const res = await fetch(chat, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          ...valid,
          stream: true,
          messages: [{ role: 'user', content: odd }],
        }),
      });
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      const events = sseEvents(text);
      expect(events.at(-1)).toBe('[DONE]');
      const echoed = events
        .slice(0, -1)
        .map((e) => JSON.parse(e) as { choices: Array<{ delta: { content?: string } }> })
        .map((c) => c.choices[0]?.delta.content ?? '')
        .join('');
      expect(echoed).toBe(odd);
    });

    it('reads invalid UTF-8 bytes as U+FFFD rather than failing', async () => {
      const body = Buffer.concat([
        Buffer.from('{"model":"echo/m","messages":[{"role":"user","content":"a'),
        Buffer.from([0xff, 0xfe, 0xc0]),
        Buffer.from('b"}]}'),
      ]);
      const res = await rawRequest(chat, { headers: json, body });
      expect(res.status).toBe(200);
      const answer = JSON.parse(res.text) as { choices: Array<{ message: { content: string } }> };
      expect(answer.choices[0].message.content).toMatch(/^a\ufffd+b$/);
    });

    it.each([
      ['model', { ...valid, model: 'echo/m\u0000' }],
      ['conversation_id', { ...valid, conversation_id: 'c\u0000' }],
      ['conversation_id', { ...valid, conversation_id: 'c\ud800' }],
    ])('rejects control characters and surrogates in %s with 400', async (param, body) => {
      const res = await rawRequest(chat, { headers: json, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expectEnvelope(JSON.parse(res.text), 'invalid_value');
      expect((JSON.parse(res.text) as { error: { param: string } }).error.param).toBe(param);
    });
  });

  it('answers 400 in the envelope to a path with malformed percent-encoding', async () => {
    for (const id of ['%ZZ', '%E0%A4%A', '%']) {
      const res = await rawRequest(`${app.url}/native/v1/sessions/${id}`, {
        method: 'GET',
        headers: auth(),
      });
      expect(res.status).toBe(400);
      expect(assertEnvelope(res.status, res.text)).toBe('invalid_value');
    }
  });

  describe('property: a malformed request never gets a 5xx, always the envelope', () => {
    it('holds for 250 seeded malformed variants of the request', async () => {
      await fc.assert(
        fc.asyncProperty(malformedRequest(), async (variant) => {
          const res = await rawRequest(chat, {
            headers: { ...auth(), ...variant.headers },
            body: variant.body,
          });
          if (res.status < 400 || res.status >= 500) {
            throw new Error(`status ${res.status} for ${variant.label}: ${res.text.slice(0, 200)}`);
          }
          assertEnvelope(res.status, res.text);
        }),
        { numRuns: 250, seed: 20_261_122, endOnFailure: true },
      );
      // Nothing malformed may reach an upstream.
      expect(upstream.requests).toHaveLength(0);
    });
  });

  describe('property: every field, every JSON type (null too), at every nesting level', () => {
    it('never gets a 5xx; a refused body reaches neither the upstream nor the session store', async () => {
      let run = 0;
      let served = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FIELD_PATHS), anyJson, async (path, value) => {
          const id = `fuzz-${++run}`;
          const body = withValueAt(fullRequest(id), path, value);
          upstream.reset();
          const label = `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 120)}`;
          const res = await rawRequest(chat, { headers: json, body: JSON.stringify(body) });
          if (res.status >= 500)
            throw new Error(`${res.status} for ${label}: ${res.text.slice(0, 200)}`);
          if (res.status !== 200) {
            assertEnvelope(res.status, res.text);
            if (upstream.requests.length > 0)
              throw new Error(`refused yet sent upstream: ${label}`);
            const stored = await get(`${app.url}/native/v1/sessions/${id}`);
            if (stored.status !== 404) throw new Error(`refused yet bound a session: ${label}`);
            return;
          }
          served++;
          if (upstream.requests.length > 1) throw new Error(`sent upstream twice: ${label}`);
          if (upstream.requests.length === 1) {
            const problem = upstreamProblem(upstream.last.body);
            if (problem !== null) throw new Error(`${problem} upstream for ${label}`);
          }
        }),
        { numRuns: 600, seed: 20_261_203, endOnFailure: true },
      );
      // The property saw both sides: bodies served and bodies refused.
      expect(served).toBeGreaterThan(0);
      expect(served).toBeLessThan(run);
    }, 120_000);
  });
});

interface Variant {
  label: string;
  headers: Record<string, string>;
  body: string;
}

const KNOWN_FIELDS = new Set<string>([
  'model',
  'messages',
  'conversation_id',
  'tier',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'max_tokens',
  'stop',
  'tools',
  'tool_choice',
  ...OPTIONAL_PARAMS,
]);
const JSON_TYPE = { 'content-type': 'application/json' };
const base = (): Record<string, unknown> => ({
  model: 'openai/gpt-x',
  messages: [{ role: 'user', content: 'hi' }],
});

/** Any JSON value that is not null (optional fields treat null as absent). */
const nonNull = fc.jsonValue().filter((v) => v !== null);
const notString = nonNull.filter((v) => typeof v !== 'string');
const notBoolean = nonNull.filter((v) => typeof v !== 'boolean');
const notArray = nonNull.filter((v) => !Array.isArray(v));
const outOf = (min: number, max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    notString.filter((v) => typeof v !== 'number'),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => n < min || n > max),
  );
/** A string with at least one character outside printable ASCII, or empty, or too long. */
const badIdentifier = fc.oneof(
  fc.constant(''),
  fc.string({ minLength: 257, maxLength: 300 }).map((s) => `x${s}`.padEnd(257, 'x')),
  fc
    .tuple(
      fc.string(),
      fc.constantFrom(' ', '\t', '\n', '\u0000', '\u007f', 'é', '\ud800', '🦄'),
      fc.string(),
    )
    .map(([a, bad, b]) => `${a}${bad}${b}`),
);
const badMessage = fc.oneof(
  nonNull.filter((v) => typeof v !== 'object' || Array.isArray(v)),
  fc.record({
    role: fc.string().filter((r) => !(CHAT_ROLES as readonly string[]).includes(r)),
    content: fc.string(),
  }),
  fc.record({
    role: fc.constant('user'),
    content: notString.filter(
      (v) =>
        !Array.isArray(v) || v.length === 0 || v.some((p) => typeof p !== 'object' || p === null),
    ),
  }),
  fc.record({ role: fc.constant('user'), content: fc.constant(null) }),
  fc.record({ role: fc.constant('user'), content: fc.string(), extra: nonNull }),
  fc.record({ role: fc.constant('assistant'), content: fc.constant(null), tool_calls: notArray }),
);

/** One field of an otherwise valid request set to a value of the wrong type or range. */
const wrongField: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant('model'), fc.oneof(notString, badIdentifier)),
  fc.tuple(fc.constant('conversation_id'), fc.oneof(notString, badIdentifier)),
  fc.tuple(
    fc.constant('messages'),
    fc.oneof(notArray, fc.constant([]), fc.array(badMessage, { minLength: 1, maxLength: 3 })),
  ),
  fc.tuple(fc.constant('stream'), notBoolean),
  fc.tuple(fc.constant('temperature'), outOf(0, 2)),
  fc.tuple(fc.constant('top_p'), outOf(0, 1)),
  fc.tuple(
    fc.constant('max_tokens'),
    fc.oneof(
      outOf(1, 10_000_000),
      fc
        .double({ min: 1.01, max: 1e6, noNaN: true, noDefaultInfinity: true })
        .filter((n) => !Number.isInteger(n)),
    ),
  ),
  fc.tuple(
    fc.constant('stop'),
    fc.oneof(
      notString.filter((v) => !Array.isArray(v)),
      fc.array(fc.string(), { minLength: 5, maxLength: 8 }),
      fc.array(notString, { minLength: 1, maxLength: 3 }),
    ),
  ),
  fc.tuple(
    fc.constant('tools'),
    fc.oneof(
      notArray,
      fc
        .array(nonNull, { minLength: 1, maxLength: 2 })
        .filter((a) =>
          a.some(
            (t) =>
              typeof t !== 'object' ||
              Array.isArray(t) ||
              (t as { type?: unknown }).type !== 'function',
          ),
        ),
    ),
  ),
  fc.tuple(
    fc.constant('tool_choice'),
    nonNull.filter((v) => !['none', 'auto', 'required'].includes(v as string)),
  ),
  fc.tuple(
    fc.constant('stream_options'),
    fc.oneof(
      notArray.filter((v) => typeof v !== 'object'),
      fc.record({ include_usage: notBoolean }),
      fc.record({ other: nonNull }),
    ),
  ),
);

function malformedRequest(): fc.Arbitrary<Variant> {
  const withWrongField = wrongField.map(([field, value]) => ({
    label: `wrong ${field}`,
    headers: JSON_TYPE,
    body: JSON.stringify({ ...base(), [field]: value }),
  }));
  const withUnknownField = fc
    .tuple(
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((k) => !KNOWN_FIELDS.has(k) && k !== '__proto__' && k !== 'constructor'),
      fc.jsonValue(),
    )
    .map(([key, value]) => ({
      label: `unknown field ${JSON.stringify(key)}`,
      headers: JSON_TYPE,
      body: JSON.stringify({ ...base(), [key]: value }),
    }));
  const randomJson = fc.jsonValue().map((value) => ({
    label: 'random JSON body',
    headers: JSON_TYPE,
    body: JSON.stringify(value) ?? 'null',
  }));
  const randomText = fc.string({ maxLength: 200, unit: 'binary' }).map((text) => ({
    label: 'random text body',
    headers: JSON_TYPE,
    body: text.length === 0 ? ' ' : text,
  }));
  const wrongType = fc
    .constantFrom(
      'text/plain',
      'application/xml',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=zz',
      'application/json; charset=iso-8859-1',
      'image/png',
      '*/*',
    )
    .map((type) => ({
      label: `content-type ${type}`,
      headers: { 'content-type': type },
      body: JSON.stringify(base()),
    }));
  return fc.oneof(
    { arbitrary: withWrongField, weight: 5 },
    { arbitrary: withUnknownField, weight: 2 },
    { arbitrary: randomJson, weight: 2 },
    { arbitrary: randomText, weight: 2 },
    { arbitrary: wrongType, weight: 1 },
  );
}

/** A valid request using every field: the fuzz replaces one value in it at a time. */
function fullRequest(conversationId: string): Record<string, unknown> {
  return {
    model: 'openai/gpt-x',
    conversation_id: conversationId,
    tier: 'simple',
    stream: false,
    stream_options: { include_usage: true },
    temperature: 1,
    top_p: 1,
    max_tokens: 16,
    stop: ['END'],
    messages: [
      { role: 'system', content: 'be brief', name: 'policy' },
      { role: 'developer', content: [{ type: 'text', text: 'rules' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'hi' },
          { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
        ],
        name: 'alice',
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '42' },
      { role: 'assistant', content: 'ok', refusal: 'no', audio: { id: 'audio_1' } },
      { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
      { role: 'function', name: 'f', content: 'done' },
      { role: 'user', content: 'and now?' },
    ],
    tools: [
      {
        type: 'function',
        function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: false },
      },
    ],
    tool_choice: { type: 'function', function: { name: 'f' } },
    ...structuredClone(everyOptionalParam),
  };
}

type Path = Array<string | number>;

/** Every key and index of a JSON value, at every depth. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const MESSAGE_FIELDS = [
  'role',
  'content',
  'name',
  'tool_call_id',
  'tool_calls',
  'refusal',
  'audio',
  'function_call',
];
/** Every path of the full request, plus each message field on every message (absent ones too). */
const FIELD_PATHS: Path[] = (() => {
  const base = fullRequest('x');
  const messages = (base.messages as unknown[]).length;
  const extra = Array.from({ length: messages }, (_, i) =>
    MESSAGE_FIELDS.map((field) => ['messages', i, field]),
  ).flat();
  const seen = new Set<string>();
  return [...pathsOf(base), ...extra].filter((p) => {
    const key = JSON.stringify(p);
    return seen.has(key) ? false : (seen.add(key), true);
  });
})();

/** Every JSON type, null included, with the edge values validators trip on. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1, 2.5, 1e21, -0, 129, 16, 0.5, Number.MAX_SAFE_INTEGER + 2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom('', 'text', 'function', 'auto', 'json_schema', 'user', 'a b', '\u0000', 'é'),
  fc.string({ maxLength: 20 }),
  fc.constantFrom([], {}, [null], [{}], [[]], { type: 'text' }, { id: 'x' }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

function withValueAt(body: Record<string, unknown>, path: Path, value: unknown): unknown {
  let node = body as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return body;
}

/** Free-form JSON of the client's own, where a null is data rather than an absent field. */
const FREE_FORM = new Set(['parameters', 'schema', 'metadata', 'logit_bias']);

/** What the upstream must never see: routing fields, or a null other than a message's content. */
function upstreamProblem(body: Record<string, unknown>): string | null {
  for (const field of ['conversation_id', 'tier']) if (field in body) return `${field} sent`;
  const nulls = (value: unknown, path: string): string | null => {
    if (value === null) return path.endsWith('.content') ? null : `null at ${path}`;
    if (typeof value !== 'object') return null;
    for (const [key, child] of Object.entries(value)) {
      if (FREE_FORM.has(key)) continue;
      const found = nulls(child, `${path}.${key}`);
      if (found !== null) return found;
    }
    return null;
  };
  return nulls(body, '');
}

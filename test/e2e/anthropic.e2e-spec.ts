import OpenAI from 'openai';
import { AnthropicUpstream, UPSTREAM_SECRET } from '../support/anthropic-upstream';
import { ALICE, auth, createTestApp, TestApp } from '../support/create-test-app';
import { expectEnvelope, post, sseEvents } from '../support/http';
import { MixedRoutingApp, startMixedRoutingApp } from '../support/mixed-routing-app';
import { RecordingUpstream, replies, startRecordingUpstream } from '../support/recording-upstream';

const ANTHROPIC_KEY = 'sk-ant-gateway-deployment-key';
const OPENAI_KEY = 'sk-gateway-openai-key';
const CLAUDE = 'anthropic/claude-sonnet-4-5';

type Message = OpenAI.ChatCompletionMessageParam;

/** The form of a JSON value: object keys (sorted) and value types, without the values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((key) => [key, shape(object[key])]),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** The distinct chunk forms of a stream, for comparing two adapters' streams. */
const chunkShapes = (chunks: unknown[]): string[] =>
  [...new Set(chunks.map((chunk) => JSON.stringify(shape(chunk))))].sort();

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** POSTs a streamed request and returns its status, headers and `data:` payloads. */
async function postStream(
  url: string,
  body: Record<string, unknown>,
): Promise<{ status: number; headers: Headers; events: string[] }> {
  const res = await fetch(`${url}/native/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth() },
    body: JSON.stringify({ ...body, stream: true }),
  });
  return { status: res.status, headers: res.headers, events: sseEvents(await res.text()) };
}

/** Nothing an upstream said in an error, and no deployment key, reaches the client. */
function expectNoLeak(text: string, ...keys: string[]): void {
  expect(text).not.toContain(UPSTREAM_SECRET);
  for (const key of [ANTHROPIC_KEY, OPENAI_KEY, ...keys]) expect(text).not.toContain(key);
  expect(text).not.toMatch(/x-api-key|request_id|req_err/);
}

/**
 * An answer's message as the next request's history. Only the message fields: the stream
 * helper's final message also carries `parsed`, which is no chat message field.
 */
const asHistory = (message: OpenAI.ChatCompletionMessage): Message => ({
  role: 'assistant',
  content: message.content,
  ...(message.tool_calls === undefined ? {} : { tool_calls: message.tool_calls }),
});

const weatherTools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
];

/** An implicit Anthropic deployment (ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL) and an OpenAI one. */
async function implicitApp(
  claude: AnthropicUpstream,
  openai?: RecordingUpstream,
  anthropicKey = ANTHROPIC_KEY,
): Promise<TestApp> {
  return createTestApp({
    env: {
      ANTHROPIC_API_KEY: anthropicKey,
      ANTHROPIC_BASE_URL: claude.url,
      ...(openai === undefined ? {} : { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url }),
    },
  });
}

describe('Claude through Sentinel: the anthropic adapter against a strict Anthropic upstream', () => {
  let claude: AnthropicUpstream;
  let openai: RecordingUpstream;
  let app: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    claude = await AnthropicUpstream.start(ANTHROPIC_KEY);
    openai = await startRecordingUpstream();
    app = await implicitApp(claude, openai);
    client = new OpenAI({ baseURL: `${app.url}/native/v1`, apiKey: ALICE, maxRetries: 0 });
  });
  beforeEach(() => {
    claude.reset();
    openai.reset();
  });
  afterAll(async () => {
    await app.close();
    await claude.close();
    await openai.close();
  });

  const history: Message[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hello' },
    { role: 'user', content: [{ type: 'text', text: 'world' }] },
  ];

  it('answers as JSON: x-api-key, anthropic-version, system hoisted, turns merged, max_tokens defaulted, stop as stop_sequences', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: CLAUDE,
        messages: history,
        stop: ['END', '\n'],
        // @ts-expect-error Sentinel's own field, never forwarded upstream
        conversation_id: 'claude-json-conversation',
      })
      .withResponse();

    const received = claude.last;
    expect(received.path).toBe('/v1/messages');
    expect(received.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    expect(received.headers.authorization).toBeUndefined();
    expect(received.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello' },
            { type: 'text', text: 'world' },
          ],
        },
      ],
      // "\n" alone is refused by Anthropic ("must contain non-whitespace"): left out.
      stop_sequences: ['END'],
    });
    expect(received.rawBody).not.toContain('conversation_id');

    expect(response.headers.get('x-sentinel-provider')).toBe('anthropic');
    expect(response.headers.get('x-sentinel-model')).toBe('claude-sonnet-4-5');
    expect(response.headers.get('x-sentinel-session')).toBe('created');
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('claude-sonnet-4-5');
    expect(data.id).toMatch(/^msg_/);
    expect(data.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'echo:claude-sonnet-4-5:hello world' },
        finish_reason: 'stop',
      },
    ]);
    const upstreamUsage = { input: JSON.stringify(received.body.messages).length >> 2 };
    expect(data.usage?.prompt_tokens).toBe(upstreamUsage.input);
    expect(data.usage?.total_tokens).toBe(
      (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0),
    );
  });

  it('gives a chat.completion of exactly the form the openai adapter gives for the same prompt', async () => {
    const [fromClaude, fromOpenAi] = await Promise.all(
      [CLAUDE, 'openai/gpt-4o-mini'].map((model) =>
        client.chat.completions.create({ model, messages: history }),
      ),
    );
    expect(openai.requests).toHaveLength(1);
    expect(claude.requests).toHaveLength(1);
    expect(shape(fromClaude)).toEqual(shape(fromOpenAi));
  });

  it('streams chat.completion.chunks of the forms the openai adapter streams, ending with [DONE]', async () => {
    const ask = (model: string): Promise<OpenAI.ChatCompletionChunk[]> =>
      client.chat.completions
        .create({ model, messages: history, stream: true })
        .then((stream) => collect(stream));
    const [fromClaude, fromOpenAi] = await Promise.all([ask(CLAUDE), ask('openai/gpt-4o-mini')]);

    expect(claude.last.body.stream).toBe(true);
    expect(claude.last.headers.accept).toBe('text/event-stream');
    expect(fromClaude.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'echo:claude-sonnet-4-5:hello world',
    );
    expect(fromClaude[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(fromClaude.at(-1)?.choices[0].finish_reason).toBe('stop');
    // No usage chunk was asked for: none arrives.
    expect(fromClaude.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
    expect(new Set(fromClaude.map((c) => c.id)).size).toBe(1);
    expect(chunkShapes(fromClaude)).toEqual(chunkShapes(fromOpenAi));

    const raw = await postStream(app.url, { model: CLAUDE, messages: history });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(raw.events.at(-1)).toBe('[DONE]');
    expect(
      raw.events.slice(0, -1).every((e) => JSON.parse(e).object === 'chat.completion.chunk'),
    ).toBe(true);
  });

  it('streams two tool calls whose arguments arrive cut at awkward places: the openai client rebuilds them at indexes 0 and 1', async () => {
    const weatherInput = { city: 'Boston "MA"', days: 12, note: 'a\\b' };
    claude.reply({
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_A', name: 'get_weather', input: weatherInput },
        { type: 'tool_use', id: 'toolu_B', name: 'get_time', input: {} },
      ],
    });
    const question: Message = { role: 'user', content: 'Weather and time in Boston?' };
    const runner = client.chat.completions.stream({
      model: CLAUDE,
      messages: [question],
      tools: weatherTools,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    runner.on('chunk', (chunk) => chunks.push(chunk));
    const final = await runner.finalChatCompletion();

    expect(claude.last.body.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather for a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { name: 'get_time', input_schema: { type: 'object' } },
    ]);
    const message = final.choices[0].message;
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(message.content).toBe('Checking both.');
    const calls = (message.tool_calls ?? []) as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => [c.id, c.type, c.function.name])).toEqual([
      ['toolu_A', 'function', 'get_weather'],
      ['toolu_B', 'function', 'get_time'],
    ]);
    expect(JSON.parse(calls[0].function.arguments)).toEqual(weatherInput);
    expect(calls[1].function.arguments).toBe('{}');
    // Tool indexes count tool calls (0, 1), not Anthropic's content blocks (1, 2); the
    // arguments came in several fragments, none of them empty.
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect([...new Set(deltas.map((d) => d.index))]).toEqual([0, 1]);
    const fragments = deltas.filter((d) => d.index === 0 && d.id === undefined);
    expect(fragments.length).toBeGreaterThan(2);
    expect(fragments.every((d) => d.function?.arguments !== '')).toBe(true);

    // The next request of the turn sends the calls and their results back: the strict
    // upstream accepts it (one assistant turn of tool_use, one user turn of tool_result).
    claude.reset();
    const answer = await client.chat.completions.create({
      model: CLAUDE,
      tools: weatherTools,
      messages: [
        question,
        asHistory(message),
        { role: 'tool', tool_call_id: 'toolu_A', content: 'Sunny, 21 C' },
        { role: 'tool', tool_call_id: 'toolu_B', content: '' },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(answer.choices[0].message.content).toBe('echo:claude-sonnet-4-5:Thanks');
    expect(claude.last.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather and time in Boston?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_A', name: 'get_weather', input: weatherInput },
          { type: 'tool_use', id: 'toolu_B', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_A', content: 'Sunny, 21 C' },
          { type: 'tool_result', tool_use_id: 'toolu_B' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('sends a data-URL image as a base64 source and an http URL as a url source', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==';
    await client.chat.completions.create({
      model: CLAUDE,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          ],
        },
      ],
    });
    expect(claude.last.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);

    // A type Anthropic cannot take is the client's 400, before anything is sent.
    claude.reset();
    const svg = await post(`${app.url}/native/v1/chat/completions`, {
      model: CLAUDE,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/svg+xml;base64,PHN2Zz4=' } },
          ],
        },
      ],
    });
    expect(svg.status).toBe(400);
    expectEnvelope(svg.body, 'invalid_value', 'invalid_request_error');
    expect((svg.body.error as { param: string }).param).toBe(
      'messages[0].content[0].image_url.url',
    );
    expect(claude.requests).toHaveLength(0);
  });

  it('counts cache writes and reads in prompt_tokens, JSON and streamed (include_usage gives the final usage chunk)', async () => {
    claude.reply({
      content: [{ type: 'text', text: 'cached answer' }],
      cacheCreation: 7,
      cacheRead: 41203,
    });
    const messages: Message[] = [{ role: 'user', content: 'long cached prompt' }];
    const json = await client.chat.completions.create({ model: CLAUDE, messages });
    const input = JSON.stringify(claude.last.body.messages).length >> 2;
    const output = JSON.stringify([{ type: 'text', text: 'cached answer' }]).length >> 2;
    const expected = {
      prompt_tokens: input + 7 + 41203,
      completion_tokens: output,
      total_tokens: input + 7 + 41203 + output,
      prompt_tokens_details: { cached_tokens: 41203 },
    };
    expect(json.usage).toEqual(expected);

    const stream = await client.chat.completions.create({
      model: CLAUDE,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(expected);
    // The finish chunk comes before the usage chunk, and only the last chunk has usage.
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
  });

  it('names in x-sentinel-dropped-params what Anthropic has no field for, and forwards what it has', async () => {
    const { response } = await client.chat.completions
      .create({
        model: CLAUDE,
        messages: [{ role: 'user', content: 'hi' }],
        seed: 7,
        logprobs: true,
        presence_penalty: 0.5,
        max_completion_tokens: 50,
        user: 'user-1234',
        temperature: 1.5,
      })
      .withResponse();
    expect(response.headers.get('x-sentinel-dropped-params')).toBe(
      'seed, presence_penalty, logprobs',
    );
    expect(claude.last.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      temperature: 1,
      metadata: { user_id: 'user-1234' },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });
});

describe('Claude through Sentinel: upstream failures', () => {
  let claude: AnthropicUpstream;
  let app: TestApp | undefined;

  beforeEach(async () => {
    claude = await AnthropicUpstream.start(ANTHROPIC_KEY);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await claude.close();
  });

  const ask = { model: CLAUDE, messages: [{ role: 'user', content: 'hello' }] };

  it('turns a 429 with retry-after into 429 upstream_rate_limited with Retry-After on the last attempt', async () => {
    app = await implicitApp(claude);
    claude.fail({ kind: 'rate_limited', retryAfter: '7' });
    const res = await post(`${app.url}/native/v1/chat/completions`, ask);
    expect(res.status).toBe(429);
    expectEnvelope(res.body, 'upstream_rate_limited', 'rate_limit_error');
    expect(res.headers.get('retry-after')).toBe('7');
    expect(claude.requests).toHaveLength(1);
    expectNoLeak(JSON.stringify(res.body));
  });

  it('turns a 401 (the gateway key is refused) into 502 provider_error, never a 401 for the caller', async () => {
    app = await implicitApp(claude, undefined, 'sk-ant-revoked-key');
    const res = await post(`${app.url}/native/v1/chat/completions`, ask);
    expect(res.status).toBe(502);
    expectEnvelope(res.body, 'provider_error', 'upstream_error');
    expect(JSON.stringify(res.body)).not.toMatch(/invalid|x-api-key/i);
    expectNoLeak(JSON.stringify(res.body), 'sk-ant-revoked-key');
  });

  it('turns a 529 on the only deployment into 502 provider_error, and a too-long prompt into 400 context_length_exceeded', async () => {
    app = await implicitApp(claude);
    claude.fail({ kind: 'overloaded' });
    const overloaded = await post(`${app.url}/native/v1/chat/completions`, ask);
    expect(overloaded.status).toBe(502);
    expectEnvelope(overloaded.body, 'provider_error', 'upstream_error');
    expectNoLeak(JSON.stringify(overloaded.body));

    claude.fail({ kind: 'prompt_too_long' });
    const tooLong = await post(`${app.url}/native/v1/chat/completions`, ask);
    expect(tooLong.status).toBe(400);
    expectEnvelope(tooLong.body, 'context_length_exceeded', 'invalid_request_error');
    expect(JSON.stringify(tooLong.body)).not.toContain('210000');
  });

  it('ends a stream whose upstream sends an error event after content with an SSE error event, no [DONE]', async () => {
    app = await implicitApp(claude);
    claude.fail({ kind: 'mid_stream_error' });
    const res = await postStream(app.url, ask);
    expect(res.status).toBe(200);
    const chunks = res.events.slice(0, -1).map((e) => JSON.parse(e) as OpenAI.ChatCompletionChunk);
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).not.toBe('');
    const last = JSON.parse(res.events.at(-1) as string) as Record<string, unknown>;
    expectEnvelope(last, 'provider_error', 'upstream_error');
    expect(res.events).not.toContain('[DONE]');
    expectNoLeak(res.events.join('\n'));

    // The openai client sees it as a thrown APIError, as with any provider.
    const client = new OpenAI({ baseURL: `${app.url}/native/v1`, apiKey: ALICE, maxRetries: 0 });
    claude.fail({ kind: 'cut_stream' });
    const stream = await client.chat.completions.create({
      model: CLAUDE,
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    await expect(collect(stream)).rejects.toThrow(OpenAI.APIError);
  });
});

describe('Claude through Sentinel: routing across Anthropic and OpenAI deployments', () => {
  let mixed: MixedRoutingApp | undefined;
  afterEach(async () => {
    await mixed?.close();
    mixed = undefined;
  });

  const head = `defaults:
  strategy: priority
  health: { consecutive_failures: 1, cooldown_initial_s: 30 }
  attempts: { max: 3, deadline_ms: 10000 }`;

  it('retries a 529 overloaded (JSON and stream) and a stream that fails before its first content on the other Anthropic deployment', async () => {
    mixed = await startMixedRoutingApp(
      [
        {
          id: 'claude-a',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          extra: { priority: 1 },
        },
        {
          id: 'claude-b',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          extra: { priority: 2 },
        },
      ],
      'groups:\n  claude: { deployments: [claude-a, claude-b] }',
      head.replace('consecutive_failures: 1', 'consecutive_failures: 5'),
    );
    const { anthropic } = mixed;
    anthropic['claude-a'].fail({ kind: 'overloaded' });
    const res = await post(mixed.chat, {
      model: 'claude',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sentinel-deployment')).toBe('claude-b');
    expect(res.headers.get('x-sentinel-attempts')).toBe('2');
    expect(anthropic['claude-a'].requests).toHaveLength(1);
    expect(anthropic['claude-b'].last.headers['x-api-key']).toBe(mixed.keyOf('claude-b'));
    expect((res.body.choices as { message: { content: string } }[])[0].message.content).toBe(
      'echo:claude-sonnet-4-5:hi',
    );

    const stream = await postStream(mixed.url, {
      model: 'claude',
      messages: [{ role: 'user', content: 'stream' }],
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('x-sentinel-deployment')).toBe('claude-b');
    expect(stream.events.at(-1)).toBe('[DONE]');
    expect(anthropic['claude-a'].requests).toHaveLength(2);

    // A 200 whose stream reports an error before any content is a failed attempt too.
    anthropic['claude-a'].fail({ kind: 'error_before_content' });
    const late = await postStream(mixed.url, {
      model: 'claude',
      messages: [{ role: 'user', content: 'late failure' }],
    });
    expect(late.headers.get('x-sentinel-deployment')).toBe('claude-b');
    expect(late.headers.get('x-sentinel-attempts')).toBe('2');
    expect(anthropic['claude-a'].requests).toHaveLength(3);
    const text = late.events
      .slice(0, -1)
      .map((e) => (JSON.parse(e) as OpenAI.ChatCompletionChunk).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('echo:claude-sonnet-4-5:late failure');
    // One role chunk only: the failed attempt's role chunk was held back, not sent.
    expect(late.events.filter((e) => e.includes('"role":"assistant"'))).toHaveLength(1);
    expect(late.events.at(-1)).toBe('[DONE]');
  });

  /** A group of one OpenAI and one Anthropic deployment; `first` is the one tried first. */
  const duo = (first: 'oai' | 'claude'): Promise<MixedRoutingApp> =>
    startMixedRoutingApp(
      [
        {
          id: 'oai',
          provider: 'openai',
          model: 'gpt-4o',
          extra: { priority: first === 'oai' ? 1 : 2 },
        },
        {
          id: 'claude',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          extra: { priority: first === 'claude' ? 1 : 2 },
        },
      ],
      'groups:\n  smart: { deployments: [oai, claude] }',
      head,
    );

  it('migrates a conversation with tool calls from the OpenAI deployment to the Anthropic one, history still valid', async () => {
    mixed = await duo('oai');
    const oai = mixed.openai.oai;
    const claude = mixed.anthropic.claude;
    const client = new OpenAI({ baseURL: `${mixed.url}/native/v1`, apiKey: ALICE, maxRetries: 0 });
    const question: Message = { role: 'user', content: 'Weather in Paris?' };
    // An OpenAI-compatible server whose call ids Anthropic's pattern refuses (dots, colons).
    const toolCall = {
      id: 'call.1:weather',
      type: 'function' as const,
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    };
    oai.nextResponse(
      replies.json({
        id: 'chatcmpl-tools',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [toolCall] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
      }),
    );
    const conversation = { conversation_id: 'tools-move-to-claude' };
    const first = await client.chat.completions
      .create({ model: 'smart', messages: [question], tools: weatherTools, ...conversation })
      .withResponse();
    expect(first.response.headers.get('x-sentinel-deployment')).toBe('oai');
    expect(first.response.headers.get('x-sentinel-session')).toBe('created');
    const assistant = first.data.choices[0].message;
    expect(assistant.tool_calls).toEqual([toolCall]);

    // The bound deployment fails with 503: the turn migrates to Claude.
    oai.respondWith(replies.status(503));
    const messages: Message[] = [
      question,
      asHistory(assistant),
      { role: 'tool', tool_call_id: toolCall.id, content: 'Rain, 12 C' },
    ];
    const second = await client.chat.completions
      .create({ model: 'smart', messages, tools: weatherTools, ...conversation })
      .withResponse();
    expect(second.response.headers.get('x-sentinel-session')).toBe('migrated');
    expect(second.response.headers.get('x-sentinel-deployment')).toBe('claude');
    expect(second.response.headers.get('x-sentinel-decision')).toContain('migrated_from="oai"');
    expect(second.data.model).toBe('claude-sonnet-4-5');
    expect(claude.requests).toHaveLength(1);
    expect(claude.last.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1_weather', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'call_1_weather', content: 'Rain, 12 C' }],
      },
    ]);

    // It stays there, even without tools in the request and with the OpenAI deployment healed.
    oai.reset();
    const third = await client.chat.completions
      .create({
        model: 'smart',
        messages: [
          ...messages,
          asHistory(second.data.choices[0].message),
          { role: 'user', content: 'And now?' },
        ],
        ...conversation,
      })
      .withResponse();
    expect(third.response.headers.get('x-sentinel-deployment')).toBe('claude');
    expect(third.response.headers.get('x-sentinel-session')).toBe('reused');
    expect(oai.requests).toHaveLength(0);
    expect(claude.last.body.tool_choice).toEqual({ type: 'none' });
  });

  it('migrates a streamed conversation with tool calls from the Anthropic deployment to the OpenAI one', async () => {
    mixed = await duo('claude');
    const oai = mixed.openai.oai;
    const claude = mixed.anthropic.claude;
    const client = new OpenAI({ baseURL: `${mixed.url}/native/v1`, apiKey: ALICE, maxRetries: 0 });
    const question: Message = { role: 'user', content: 'Weather in Oslo?' };
    claude.reply({
      content: [
        { type: 'tool_use', id: 'toolu_01Oslo', name: 'get_weather', input: { city: 'Oslo' } },
      ],
    });
    const conversation = { conversation_id: 'tools-move-to-openai' };
    const first = await client.chat.completions
      .stream({ model: 'smart', messages: [question], tools: weatherTools, ...conversation })
      .finalChatCompletion();
    const assistant = first.choices[0].message;
    expect(claude.requests).toHaveLength(1);
    expect(assistant.tool_calls).toEqual([
      {
        id: 'toolu_01Oslo',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
    ]);

    claude.fail({ kind: 'overloaded' });
    const messages: Message[] = [
      question,
      asHistory(assistant),
      { role: 'tool', tool_call_id: 'toolu_01Oslo', content: 'Snow, -3 C' },
    ];
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'smart', messages, tools: weatherTools, stream: true, ...conversation })
      .withResponse();
    const chunks = await collect(stream);
    expect(response.headers.get('x-sentinel-session')).toBe('migrated');
    expect(response.headers.get('x-sentinel-deployment')).toBe('oai');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'echo:gpt-4o:Weather in Oslo?',
    );
    expect(claude.requests).toHaveLength(2);
    const sent = oai.last.body.messages as Record<string, unknown>[];
    expect(sent).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_01Oslo',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_01Oslo', content: 'Snow, -3 C' },
    ]);
    expect(oai.last.headers.authorization).toBe(`Bearer ${mixed.keyOf('oai')}`);
  });
});

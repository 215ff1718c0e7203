import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AnthropicUpstream,
  awkwardFragments,
  UPSTREAM_SECRET,
} from '../../../test/support/anthropic-upstream';
import type { DeploymentSpec } from '../deployment-spec';
import type { LlmCallContext } from '../llm-adapter.interface';
import type { ChatChunk, ChatMessage, ChatRequest, ToolDefinition } from '../llm-types';
import { ProviderError } from '../provider-error';
import { AnthropicAdapter } from './anthropic.adapter';
import type { AnthropicModel } from './anthropic.model';

const KEY = 'sk-ant-test-key';

function specFor(baseUrl: string, overrides: Partial<DeploymentSpec> = {}): DeploymentSpec {
  return {
    id: 'claude-test',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    baseUrl,
    apiKey: KEY,
    timeouts: { connectMs: 1_000, headersMs: 5_000, idleMs: 5_000 },
    maxConnections: 4,
    ...overrides,
  };
}

const request: ChatRequest = {
  model: 'claude-sonnet-4-5',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there' },
  ],
  temperature: 0.2,
};
const echo = 'echo:claude-sonnet-4-5:Hello there';

const tools: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
  { type: 'function', function: { name: 'get_time' } },
];
const weatherInput = { city: 'Bos\\ton "MA"', days: 12345 };

function call(controller = new AbortController()): LlmCallContext {
  return { signal: controller.signal, requestId: 'req-test' };
}

async function collect(chunks: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const all: ChatChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

const text = (chunks: ChatChunk[]): string =>
  chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

/** What an OpenAI client rebuilds from the streamed tool-call deltas. */
function rebuildToolCalls(chunks: ChatChunk[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const call of chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])) {
    if (call.id !== undefined) {
      // id and name come first, before any argument fragment of that index.
      expect(calls[call.index]).toBeUndefined();
      calls[call.index] = { id: call.id, name: call.function?.name ?? '', arguments: '' };
    }
    calls[call.index].arguments += call.function?.arguments ?? '';
  }
  return calls;
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const failure = (cls: string, extra: object = {}): unknown =>
  expect.objectContaining({ name: 'ProviderError', cls, ...extra });

describe('AnthropicModel against a strict loopback Anthropic upstream', () => {
  let upstream: AnthropicUpstream;
  let model: AnthropicModel;
  const adapter = new AnthropicAdapter();

  beforeAll(async () => {
    upstream = await AnthropicUpstream.start(KEY);
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(() => {
    upstream.reset();
    model = adapter.createModel(specFor(upstream.url)) as AnthropicModel;
  });
  afterEach(async () => {
    await model.close();
  });

  it('POSTs to <base>/v1/messages with x-api-key and anthropic-version, never a Bearer key', async () => {
    await model.complete(request, call());

    const received = upstream.last;
    expect(received.path).toBe('/v1/messages');
    expect(received.headers['x-api-key']).toBe(KEY);
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers.authorization).toBeUndefined();
    expect(received.body).toStrictEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
      temperature: 0.2,
    });
  });

  it('sends the model routing chose (the request’s model, as OpenAI models do)', async () => {
    await model.complete({ ...request, model: 'claude-haiku-4-5' }, call());
    expect(upstream.last.body.model).toBe('claude-haiku-4-5');
  });

  it('answers JSON as a chat completion with the text and usage', async () => {
    const result = await model.complete(request, call());

    expect(result.id).toMatch(/^msg_/);
    expect(result.model).toBe('claude-sonnet-4-5');
    expect(result.choices).toStrictEqual([
      { index: 0, message: { role: 'assistant', content: echo }, finish_reason: 'stop' },
    ]);
    expect(result.usage.total_tokens).toBe(
      result.usage.prompt_tokens + result.usage.completion_tokens,
    );
  });

  it('streams a role chunk, the text, a finish chunk and a final usage-only chunk', async () => {
    const chunks = await collect(await model.stream(request, call()));

    expect(upstream.last.body.stream).toBe(true);
    expect(upstream.last.headers.accept).toBe('text/event-stream');
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(text(chunks)).toBe(echo);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { total_tokens: expect.any(Number) },
    });
  });

  it('reports cache writes and reads in the prompt tokens, in JSON and in streams', async () => {
    upstream.reply({
      content: [{ type: 'text', text: 'cached' }],
      cacheCreation: 7,
      cacheRead: 41203,
    });

    const result = await model.complete(request, call());
    const streamed = (await collect(await model.stream(request, call()))).at(-1)?.usage;

    const uncached = JSON.stringify(upstream.last.body.messages).length >> 2;
    expect(result.usage).toMatchObject({
      prompt_tokens: uncached + 7 + 41203,
      prompt_tokens_details: { cached_tokens: 41203 },
    });
    expect(streamed).toEqual(result.usage);
  });

  it('reassembles two streamed tool calls cut at awkward places into valid OpenAI deltas', async () => {
    expect(awkwardFragments(JSON.stringify(weatherInput)).length).toBeGreaterThan(3);
    upstream.reply({
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: weatherInput },
        { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} },
      ],
    });

    const streamed = await collect(await model.stream({ ...request, tools }, call()));
    const json = await model.complete({ ...request, tools }, call());

    const calls = rebuildToolCalls(streamed);
    expect(calls.map(({ id, name }) => ({ id, name }))).toEqual([
      { id: 'toolu_01A', name: 'get_weather' },
      { id: 'toolu_01B', name: 'get_time' },
    ]);
    expect(JSON.parse(calls[0].arguments)).toEqual(weatherInput);
    expect(calls[1].arguments).toBe('{}');
    expect(streamed.at(-2)?.choices[0].finish_reason).toBe('tool_calls');
    expect(
      json.choices[0].message.tool_calls?.map((c) => JSON.parse(c.function.arguments) as unknown),
    ).toEqual(calls.map((c) => JSON.parse(c.arguments) as unknown));
  });

  it('sends a tool-call conversation back in a form the strict upstream accepts', async () => {
    const history: ChatMessage[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather and time in Boston?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_a.1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Boston"}' },
          },
          { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a.1', content: '21C' },
      { role: 'tool', tool_call_id: 'call_b', content: '' },
      { role: 'user', content: 'And tomorrow?' },
      { role: 'assistant', content: 'Same. ' },
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }],
      },
    ];

    const withTools = await model.complete(
      { ...request, messages: history, tools, tool_choice: 'none' },
      call(),
    );
    const withoutTools = await model.complete({ ...request, messages: history }, call());

    expect(withTools.choices[0].message.content).toMatch(/^echo:/);
    expect(withoutTools.choices[0].message.content).toMatch(/^echo:/);
    const sent = upstream.requests[0].body.messages as {
      role: string;
      content: { type: string }[];
    }[];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(sent[2].content.map((b) => b.type)).toEqual(['tool_result', 'tool_result', 'text']);
  });

  it('shows the strict upstream refusing what Anthropic refuses', async () => {
    const post = (headers: Record<string, string>, body: unknown): Promise<Response> =>
      fetch(`${upstream.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(body) });
    const good = {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
    };
    const valid = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };

    expect((await post(good, valid)).status).toBe(200);
    expect((await post({ ...good, authorization: `Bearer ${KEY}` }, valid)).status).toBe(401);
    expect(
      (await post({ 'content-type': 'application/json', 'x-api-key': KEY }, valid)).status,
    ).toBe(400);
    const refusals: [string, unknown][] = [
      ['max_tokens', { ...valid, max_tokens: undefined }],
      ['Extra inputs', { ...valid, stream_options: {} }],
      ['first message', { ...valid, messages: [{ role: 'assistant', content: 'x' }] }],
      ['alternate', { ...valid, messages: [valid.messages[0], valid.messages[0]] }],
      [
        'non-whitespace',
        { ...valid, messages: [{ role: 'user', content: [{ type: 'text', text: ' ' }] }] },
      ],
    ];
    for (const [phrase, body] of refusals) {
      const response = await post(good, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        phrase,
      );
    }
  });

  it.each([
    [
      '429 with retry-after',
      { kind: 'rate_limited', retryAfter: '17' },
      'rate_limit',
      { status: 429, retryAfterMs: 17_000 },
    ],
    ['529 overloaded', { kind: 'overloaded' }, 'server', { status: 529 }],
    ['500 api_error', { kind: 'server_error' }, 'server', { status: 500 }],
    ['401 authentication_error', { kind: 'unauthorized' }, 'terminal', { status: 401 }],
    ['400 prompt too long', { kind: 'prompt_too_long' }, 'context_window', { status: 400 }],
  ] as const)(
    'classifies %s in JSON and stream calls, without the upstream body',
    async (_l, fault, cls, extra) => {
      upstream.fail(fault);

      const json = await model.complete(request, call()).catch((e: unknown) => e);
      const stream = await model.stream(request, call()).catch((e: unknown) => e);

      for (const error of [json, stream]) {
        expect(error).toEqual(failure(cls, extra));
        expect((error as Error).message).not.toContain(UPSTREAM_SECRET);
        expect((error as ProviderError).message).not.toMatch(/req_err/);
        expect((error as ProviderError).detail).toMatch(/^\w+_error, request-id req_err\d+$/);
      }
    },
  );

  it('classifies a 400 for a request the strict upstream refuses as a client failure', async () => {
    const error = await model
      .complete(
        { ...request, tools: [{ type: 'function', function: { name: 'bad name!' } }] },
        call(),
      )
      .catch((e: unknown) => e);
    expect(error).toEqual(failure('client', { status: 400 }));
  });

  it('throws the mid-stream error event as a server failure after the text already yielded', async () => {
    upstream.fail({ kind: 'mid_stream_error' });
    const seen: ChatChunk[] = [];

    const read = async (): Promise<void> => {
      for await (const chunk of await model.stream(request, call())) seen.push(chunk);
    };

    await expect(read()).rejects.toEqual(
      failure('server', { message: 'Anthropic reported an error mid-stream.' }),
    );
    expect(text(seen).length).toBeGreaterThan(0);
  });

  it('throws a server failure when the stream ends without message_stop', async () => {
    upstream.fail({ kind: 'cut_stream' });

    await expect(collect(await model.stream(request, call()))).rejects.toEqual(
      failure('server', { message: 'The Anthropic stream ended before message_stop.' }),
    );
  });

  it('throws a timeout when the stream goes silent longer than the idle timeout', async () => {
    await model.close();
    model = adapter.createModel(
      specFor(upstream.url, { timeouts: { connectMs: 1_000, headersMs: 5_000, idleMs: 150 } }),
    ) as AnthropicModel;
    upstream.fail({ kind: 'stall_stream' });

    await expect(collect(await model.stream(request, call()))).rejects.toEqual(failure('timeout'));
  });

  it('throws a timeout when no answer comes within the headers timeout', async () => {
    await model.close();
    model = adapter.createModel(
      specFor(upstream.url, { timeouts: { connectMs: 1_000, headersMs: 150, idleMs: 5_000 } }),
    ) as AnthropicModel;
    upstream.fail({ kind: 'hang' });

    await expect(model.complete(request, call())).rejects.toEqual(failure('timeout'));
  });

  it('throws a server failure for a refused connection', async () => {
    const unused = createServer().listen(0, '127.0.0.1');
    await once(unused, 'listening');
    const { port } = unused.address() as { port: number };
    await new Promise((resolve) => unused.close(resolve));
    await model.close();
    model = adapter.createModel(specFor(`http://127.0.0.1:${port}`)) as AnthropicModel;

    await expect(model.complete(request, call())).rejects.toEqual(failure('server'));
  });

  it('refuses what Anthropic cannot express before sending anything', async () => {
    const bad = {
      ...request,
      messages: [
        {
          role: 'user' as const,
          content: [
            {
              type: 'image_url' as const,
              image_url: { url: 'data:image/svg+xml;base64,PHN2Zz4=' },
            },
          ],
        },
      ],
    };

    await expect(model.complete(bad, call())).rejects.toMatchObject({ code: 'invalid_value' });
    expect(upstream.requests).toHaveLength(0);
  });

  it('cancels the upstream request when the signal aborts before the answer', async () => {
    upstream.fail({ kind: 'hang' });
    const controller = new AbortController();
    const pending = model.complete(request, call(controller));
    const received = await upstream.waitForRequest(1);

    controller.abort(new Error('client left'));

    await expect(pending).rejects.toThrow('client left');
    await within(received.clientAborted, 1_000);
  });

  it('cancels the upstream request when the signal aborts mid-stream', async () => {
    upstream.fail({ kind: 'stall_stream' });
    const controller = new AbortController();
    const iterator = (await model.stream(request, call(controller)))[Symbol.asyncIterator]();
    await iterator.next();

    controller.abort(new Error('client left'));

    await within(upstream.last.clientAborted, 1_000);
    await expect(iterator.next()).rejects.toThrow('client left');
  });

  it('rejects with the abort reason, sending nothing, when the signal aborted already', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));

    await expect(model.complete(request, call(controller))).rejects.toThrow('gone');
    expect(upstream.requests).toHaveLength(0);
  });

  it('keeps the connection of a finished stream alive for the next call', async () => {
    await collect(await model.stream(request, call()));
    // The connection is free again once the upstream ended the body after message_stop.
    await sleep(50);
    await model.complete(request, call());

    expect(upstream.requests.map((r) => r.connectionId)).toEqual([
      upstream.requests[0].connectionId,
      upstream.requests[0].connectionId,
    ]);
  });

  it('closes idempotently, after which calls fail without reaching the upstream', async () => {
    await model.close();
    await expect(model.close()).resolves.toBeUndefined();

    await expect(model.complete(request, call())).rejects.toBeInstanceOf(ProviderError);
    expect(upstream.requests).toHaveLength(0);
  });
});

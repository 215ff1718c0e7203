import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import {
  RecordingUpstream,
  replies,
  startRecordingUpstream,
} from '../../../test/support/recording-upstream';
import { endpoint } from '../http/create-pool';
import type { UpstreamTimeouts } from '../deployment-spec';
import type { LlmCallContext, LlmModel } from '../llm-adapter.interface';
import type { ChatChunk, ChatRequest } from '../llm-types';
import { ProviderError } from '../provider-error';
import { OpenAiAdapter } from './openai.adapter';

const GATEWAY_KEY = 'sk-gateway-test-key';

function providerFor(baseUrl: string, timeouts: Partial<UpstreamTimeouts> = {}): LlmModel {
  return new OpenAiAdapter().createModel({
    id: 'oai-test',
    provider: 'openai',
    model: 'gpt-4o-mini',
    baseUrl,
    apiKey: GATEWAY_KEY,
    timeouts: { connectMs: 1_000, headersMs: 5_000, idleMs: 5_000, ...timeouts },
    maxConnections: 4,
  });
}

const request: ChatRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there' },
  ],
  temperature: 0.2,
};
const expected = 'echo:gpt-4o-mini:Hello there';

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

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const failure = (cls: string, message?: string): unknown =>
  expect.objectContaining(message === undefined ? { cls } : { cls, message });

describe('OpenAiModel against a loopback upstream', () => {
  let upstream: RecordingUpstream;
  let provider: LlmModel;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    upstream = await startRecordingUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(() => {
    upstream.reset();
    provider = providerFor(upstream.url);
  });
  afterEach(async () => {
    await provider.close();
  });

  it('POSTs the contract fields to <base>/chat/completions with only the gateway key', async () => {
    const polluted = { ...request, conversation_id: 'conv-1' } as ChatRequest;
    await provider.complete(polluted, call());

    const received = upstream.last;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/v1/chat/completions');
    expect(received.body).toStrictEqual({
      model: 'gpt-4o-mini',
      messages: request.messages,
      temperature: 0.2,
    });
    expect(received.headers.authorization).toBe(`Bearer ${GATEWAY_KEY}`);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['user-agent']).toBe('sentinel');
  });

  it('answers JSON with the upstream completion, vendor extras stripped', async () => {
    const result = await provider.complete(request, call());

    expect(result.model).toBe('gpt-4o-mini');
    expect(result.choices).toStrictEqual([
      { index: 0, message: { role: 'assistant', content: expected }, finish_reason: 'stop' },
    ]);
    expect(Object.keys(result).sort()).toEqual(['choices', 'created', 'id', 'model', 'usage']);
    expect(Object.keys(result.usage).sort()).toEqual([
      'completion_tokens',
      'prompt_tokens',
      'total_tokens',
    ]);
  });

  it('shows that the default upstream answer does carry vendor extras to strip', async () => {
    const raw = await fetch(`${upstream.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(request),
    });

    expect(await raw.json()).toMatchObject({
      model: 'gpt-4o-mini',
      system_fingerprint: expect.any(String),
      service_tier: 'default',
      choices: [{ logprobs: null, message: { content: expected, refusal: null } }],
      usage: { prompt_tokens_details: expect.any(Object) },
    });
  });

  it('streams with stream_options.include_usage and ends with usage', async () => {
    const chunks = await collect(await provider.stream(request, call()));

    expect(upstream.last.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(upstream.last.headers.accept).toBe('text/event-stream');
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(text(chunks)).toBe(expected);
    expect(chunks[chunks.length - 1].usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.some((c) => 'system_fingerprint' in c)).toBe(false);
  });

  it('yields the first chunks before the upstream has finished sending', async () => {
    const held = replies.heldStream(2);
    upstream.nextResponse(held.handler);
    const iterator = (await provider.stream(request, call()))[Symbol.asyncIterator]();

    const first = await within(iterator.next(), 1_000);
    const second = await within(iterator.next(), 1_000);
    expect(first.value).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
    expect(second.value).toMatchObject({ choices: [{ delta: { content: expect.any(String) } }] });

    held.release();
    const rest: ChatChunk[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest.push(next.value);
    }
    expect(text([first.value as ChatChunk, second.value as ChatChunk, ...rest])).toBe(expected);
  });

  it('replays a recorded OpenAI transcript with tool-call deltas', async () => {
    const transcript = readFileSync(join(__dirname, 'fixtures/stream-transcript.sse'), 'utf8');
    upstream.nextResponse(
      replies.text(transcript, { headers: { 'content-type': 'text/event-stream' } }),
    );

    const chunks = await collect(await provider.stream(request, call()));

    expect(chunks).toHaveLength(10);
    expect(text(chunks)).toBe('Let me check the weather.');
    expect(chunks[8].choices[0].finish_reason).toBe('tool_calls');
    expect(chunks[9].usage).toEqual({
      prompt_tokens: 81,
      completion_tokens: 23,
      total_tokens: 104,
    });
  });

  it('stops at [DONE] and ignores anything the upstream sends after it', async () => {
    const chunk = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'kept' }, finish_reason: null }],
    };
    upstream.nextResponse(replies.sse([chunk, '[DONE]', { ...chunk, id: 'after-done' }], 'end'));

    const chunks = await collect(await provider.stream(request, call()));

    expect(chunks.map((c) => c.id)).toEqual(['chatcmpl-1']);
  });

  it('calls HTTP 500 a server failure without the upstream body', async () => {
    upstream.nextResponse(replies.status(500), replies.status(500));

    await expect(provider.complete(request, call())).rejects.toEqual(
      failure('server', 'The provider answered HTTP 500.'),
    );
    await expect(provider.stream(request, call())).rejects.toEqual(failure('server'));
  });

  it('calls HTTP 429 a rate limit with Retry-After when given', async () => {
    upstream.nextResponse(replies.rateLimited('17'), replies.rateLimited());

    const withHeader = await provider.complete(request, call()).catch((e: ProviderError) => e);
    const withoutHeader = await provider.complete(request, call()).catch((e: ProviderError) => e);

    expect(withHeader).toMatchObject({ cls: 'rate_limit', retryAfterMs: 17_000 });
    expect(withoutHeader).toMatchObject({ cls: 'rate_limit' });
    expect((withoutHeader as ProviderError).retryAfterMs).toBeUndefined();
  });

  it.each([
    [
      { error: { type: 'invalid_request_error', code: 'context_length_exceeded' } },
      'context_window',
    ],
    [{ error: { type: 'invalid_request_error', code: 'invalid_value' } }, 'client'],
    ['not json at all', 'client'],
  ])('reads a 400 body only to tell a context-length error (%j → %s)', async (body, cls) => {
    const reply =
      typeof body === 'string'
        ? replies.text(body, { status: 400 })
        : replies.json(body, { status: 400 });
    upstream.nextResponse(reply, reply);

    await expect(provider.complete(request, call())).rejects.toEqual(failure(cls));
    await expect(provider.stream(request, call())).rejects.toEqual(failure(cls));
  });

  it('turns a slow first byte into upstream_timeout', async () => {
    provider = providerFor(upstream.url, { headersMs: 150 });
    upstream.nextResponse(replies.delay(2_000));

    await expect(provider.complete(request, call())).rejects.toEqual(
      failure('timeout', 'The provider did not answer in time.'),
    );
  });

  it('throws upstream_timeout while iterating when the stream goes idle', async () => {
    provider = providerFor(upstream.url, { idleMs: 150 });
    upstream.nextResponse(replies.partialStream(2, 'hang'));
    const received: ChatChunk[] = [];

    const iterate = async (): Promise<void> => {
      for await (const chunk of await provider.stream(request, call())) received.push(chunk);
    };

    await expect(iterate()).rejects.toEqual(
      failure('timeout', 'The provider stopped sending data.'),
    );
    expect(received).toHaveLength(2);
  });

  it('turns a refused connection into provider_error', async () => {
    const unused = createServer().listen(0, '127.0.0.1');
    await once(unused, 'listening');
    const { port } = unused.address() as { port: number };
    await new Promise((resolve) => unused.close(resolve));
    provider = providerFor(`http://127.0.0.1:${port}/v1`);

    await expect(provider.complete(request, call())).rejects.toEqual(
      failure('server', 'Could not reach the provider.'),
    );
  });

  it('turns malformed JSON into provider_error', async () => {
    upstream.nextResponse(replies.malformed());

    await expect(provider.complete(request, call())).rejects.toEqual(
      failure('server', 'The provider returned a malformed response.'),
    );
  });

  it('throws provider_error while iterating when the connection dies midway', async () => {
    upstream.nextResponse(replies.partialStream(2, 'destroy'));
    const received: ChatChunk[] = [];

    const iterate = async (): Promise<void> => {
      for await (const chunk of await provider.stream(request, call())) received.push(chunk);
    };

    await expect(iterate()).rejects.toEqual(failure('server'));
    expect(received).toHaveLength(2);
  });

  it('throws provider_error when the stream ends cleanly but without [DONE]', async () => {
    upstream.nextResponse(replies.partialStream(3, 'end'));

    await expect(collect(await provider.stream(request, call()))).rejects.toEqual(
      failure('server', 'The provider stream ended before [DONE].'),
    );
  });

  it('throws provider_error for an error event mid-stream', async () => {
    upstream.nextResponse(
      replies.sse([{ error: { message: 'overloaded', type: 'server_error' } }]),
    );

    await expect(collect(await provider.stream(request, call()))).rejects.toEqual(
      failure('server', 'The provider reported an error event mid-stream (type server_error).'),
    );
  });

  it('never follows a redirect: the target receives nothing and the result is provider_error', async () => {
    const elsewhere = await startRecordingUpstream();
    try {
      upstream.nextResponse(replies.redirect(`${elsewhere.url}/chat/completions`));

      await expect(provider.complete(request, call())).rejects.toEqual(
        failure('server', 'The provider answered HTTP 307.'),
      );
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('closes the upstream connection when the signal aborts before the answer', async () => {
    upstream.nextResponse(replies.hang());
    const controller = new AbortController();
    const pending = provider.complete(request, call(controller));
    const received = await upstream.waitForRequest(1);

    controller.abort();

    await expect(pending).rejects.toBe(controller.signal.reason);
    await within(received.clientAborted, 1_000);
    await within(received.connectionClosed, 1_000);
  });

  it('closes the upstream connection when the signal aborts mid-stream', async () => {
    const held = replies.heldStream(2);
    upstream.nextResponse(held.handler);
    const controller = new AbortController();
    const iterator = (await provider.stream(request, call(controller)))[Symbol.asyncIterator]();
    await iterator.next();

    controller.abort();

    await within(upstream.last.clientAborted, 1_000);
    await expect(iterator.next()).rejects.toBe(controller.signal.reason);
  });

  it('closes the upstream connection when the consumer stops iterating early', async () => {
    const held = replies.heldStream(2);
    upstream.nextResponse(held.handler);
    for await (const chunk of await provider.stream(request, call())) {
      expect(chunk.choices[0].delta.role).toBe('assistant');
      break;
    }

    await within(upstream.last.clientAborted, 1_000);
  });

  it('reuses keep-alive connections instead of opening one per call', async () => {
    for (let i = 0; i < 3; i++) await provider.complete(request, call());
    for (let i = 0; i < 3; i++) await collect(await provider.stream(request, call()));

    // undici hands a just-finished connection back a tick later, so back-to-back calls may
    // alternate between two; what matters is that six calls did not open six connections.
    expect(upstream.requests).toHaveLength(6);
    expect(new Set(upstream.requests.map((r) => r.connectionId)).size).toBeLessThanOrEqual(2);
  });
});

describe('endpoint', () => {
  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com', '/v1/chat/completions'],
    ['https://api.groq.com/openai/v1/', 'https://api.groq.com', '/openai/v1/chat/completions'],
    ['http://localhost:11434/v1', 'http://localhost:11434', '/v1/chat/completions'],
    ['http://vllm:8000', 'http://vllm:8000', '/chat/completions'],
  ])('splits %s into its origin and path', (baseUrl, origin, path) => {
    expect(endpoint(baseUrl, '/chat/completions')).toEqual({ origin, path });
  });
});

describe('OpenAiAdapter', () => {
  it('forwards every optional OpenAI field and needs no key (local servers run without one)', () => {
    const adapter = new OpenAiAdapter();
    expect(adapter.kind).toBe('openai');
    expect(adapter.requiresApiKey).toBe(false);
    expect(adapter.supportedParams.has('max_completion_tokens')).toBe(true);
    expect(adapter.supportedParams.has('logprobs')).toBe(true);
  });
});

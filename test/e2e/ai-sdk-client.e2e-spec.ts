import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { ALICE, createTestApp, TestApp } from '../support/create-test-app';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import {
  STREAMED_TOOL_CALL_ID,
  TOOL_CALL_IDS,
  toolCallAnswer,
  toolCallStream,
} from '../support/tool-call-answers';

type Provider = ReturnType<typeof createOpenAICompatible>;

/**
 * The Vercel AI SDK (`ai@6`, `@ai-sdk/openai-compatible@2`: the last majors for Node 20)
 * configured as its docs say for an OpenAI-compatible server: `createOpenAICompatible` with a
 * `baseURL`; Sentinel's conversation id in `headers` on /v1, or as an extra body field through
 * `providerOptions.<name>` on the native route. The SDK has no model listing for this provider,
 * so `models.list()` is not exercised here.
 */
describe('the Vercel AI SDK (openai-compatible provider) against Sentinel', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;

  const sentinel = (path: string, headers: Record<string, string> = {}): Provider =>
    createOpenAICompatible({
      name: 'sentinel',
      baseURL: `${app.url}${path}`,
      apiKey: ALICE,
      headers,
      includeUsage: true,
    });

  const weatherTools = {
    get_weather: tool({
      description: 'Current weather for a city.',
      inputSchema: jsonSchema<{ city: string; unit?: string }>({
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string' } },
        required: ['city'],
      }),
      execute: ({ city }) => Promise.resolve(`18°C in ${city}`),
    }),
    get_time: tool({
      description: 'Current time in a timezone.',
      inputSchema: jsonSchema<{ timezone: string }>({
        type: 'object',
        properties: { timezone: { type: 'string' } },
        required: ['timezone'],
      }),
      execute: ({ timezone }) => Promise.resolve(`14:05 in ${timezone}`),
    }),
  };

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-gateway-upstream-key' },
    });
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('generates text on /v1, forwarding seed, user and max_completion_tokens as sent', async () => {
    const result = await generateText({
      model: sentinel('/v1')('openai/gpt-4o-mini'),
      prompt: 'hello',
      seed: 11,
      maxRetries: 0,
      providerOptions: { sentinel: { user: 'end-user-3', max_completion_tokens: 32 } },
    });
    expect(result.text).toBe('echo:gpt-4o-mini:hello');
    expect(result.response.modelId).toBe('gpt-4o-mini');
    expect(result.usage.totalTokens).toEqual(expect.any(Number));
    expect(upstream.last.path).toBe('/v1/chat/completions');
    expect(upstream.last.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
      seed: 11,
      user: 'end-user-3',
      max_completion_tokens: 32,
    });
  });

  it('streams text with usage', async () => {
    const result = streamText({
      model: sentinel('/v1')('openai/gpt-4o-mini'),
      prompt: 'stream me',
      maxRetries: 0,
    });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toBe('echo:gpt-4o-mini:stream me');
    expect((await result.usage).totalTokens).toEqual(expect.any(Number));
    expect(upstream.last.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('round-trips tool calls: the SDK runs the tools and sends their results back', async () => {
    upstream.nextResponse(toolCallAnswer());
    const result = await generateText({
      model: sentinel('/v1')('openai/gpt-4o-mini'),
      prompt: 'Weather and time in Paris?',
      tools: weatherTools,
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].toolCalls.map((c) => [c.toolCallId, c.toolName, c.input])).toEqual([
      [TOOL_CALL_IDS[0], 'get_weather', { city: 'Paris', unit: 'celsius' }],
      [TOOL_CALL_IDS[1], 'get_time', { timezone: 'Europe/Paris' }],
    ]);
    expect(result.text).toBe('echo:gpt-4o-mini:Weather and time in Paris?');

    expect(upstream.requests).toHaveLength(2);
    const first = upstream.requests[0].body;
    expect((first.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual([
      'get_weather',
      'get_time',
    ]);
    const sent = upstream.requests[1].body.messages as {
      role: string;
      tool_call_id?: string;
      content?: unknown;
      tool_calls?: { id: string; function: { name: string; arguments: string } }[];
    }[];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(
      sent[1].tool_calls?.map((c): unknown[] => [
        c.id,
        c.function.name,
        JSON.parse(c.function.arguments) as unknown,
      ]),
    ).toEqual([
      [TOOL_CALL_IDS[0], 'get_weather', { city: 'Paris', unit: 'celsius' }],
      [TOOL_CALL_IDS[1], 'get_time', { timezone: 'Europe/Paris' }],
    ]);
    expect(sent.slice(2).map((m) => [m.tool_call_id, m.content])).toEqual([
      [TOOL_CALL_IDS[0], '18°C in Paris'],
      [TOOL_CALL_IDS[1], '14:05 in Europe/Paris'],
    ]);
  });

  it('reassembles a streamed tool call whose arguments arrive in pieces', async () => {
    upstream.nextResponse(toolCallStream());
    const result = streamText({
      model: sentinel('/v1')('openai/gpt-4o-mini'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: weatherTools.get_weather },
      maxRetries: 0,
    });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toBe('Let me check the weather.');
    const calls = await result.toolCalls;
    expect(calls.map((c) => [c.toolCallId, c.toolName, c.input])).toEqual([
      [STREAMED_TOOL_CALL_ID, 'get_weather', { city: 'Paris' }],
    ]);
    expect(await result.finishReason).toBe('tool-calls');
  });

  it('keeps a conversation on its model with the id in the provider headers on /v1', async () => {
    const sticky = sentinel('/v1', { 'x-sentinel-conversation-id': 'ai-sdk-v1-header' });
    await generateText({ model: sticky('openai/model-a'), prompt: 'hi', maxRetries: 0 });
    const second = await generateText({
      model: sticky('openai/model-b'),
      prompt: 'hi',
      maxRetries: 0,
    });
    expect(second.response.modelId).toBe('model-a');
    expect(second.response.headers?.['x-sentinel-session']).toBe('reused');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    for (const request of upstream.requests) {
      expect(request.body).not.toHaveProperty('conversation_id');
      expect(request.headers).not.toHaveProperty('x-sentinel-conversation-id');
    }
  });

  it('keeps a conversation on its model with the id in providerOptions on the native route', async () => {
    const native = sentinel('/native/v1');
    const ask = (model: string): ReturnType<typeof generateText> =>
      generateText({
        model: native(model),
        prompt: 'hi',
        maxRetries: 0,
        providerOptions: { sentinel: { conversation_id: 'ai-sdk-native-body' } },
      });
    await ask('openai/model-a');
    const second = await ask('openai/model-b');
    expect(second.response.modelId).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    expect(upstream.last.body).not.toHaveProperty('conversation_id');
  });
});

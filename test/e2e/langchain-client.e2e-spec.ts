import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { ALICE, createTestApp, TestApp } from '../support/create-test-app';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { TOOL_CALL_IDS, toolCallAnswer, WEATHER_TOOLS } from '../support/tool-call-answers';

type Fields = ConstructorParameters<typeof ChatOpenAI>[0];

/**
 * LangChain's `ChatOpenAI` (@langchain/openai 1.5.8, the last release for Node 20) configured
 * as its docs say for an OpenAI-compatible server: `configuration.baseURL`, plus
 * `configuration.defaultHeaders` or `modelKwargs` for Sentinel's conversation id.
 * LangChain has no model listing for chat models, so `models.list()` is not exercised here.
 */
describe('LangChain ChatOpenAI against Sentinel', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;

  const chatModel = (path: string, fields: Fields = {}): ChatOpenAI =>
    new ChatOpenAI({
      model: 'openai/gpt-4o-mini',
      apiKey: ALICE,
      maxRetries: 0,
      ...fields,
      configuration: { baseURL: `${app.url}${path}`, ...fields.configuration },
    });

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

  it('gets an answer on /v1, forwarding seed, user and max_completion_tokens as sent', async () => {
    const model = chatModel('/v1', {
      user: 'end-user-9',
      modelKwargs: { max_completion_tokens: 64 },
    });
    const answer = await model.invoke('hello', { seed: 3 });
    expect(answer.content).toBe('echo:gpt-4o-mini:hello');
    expect(answer.usage_metadata?.total_tokens).toEqual(expect.any(Number));
    expect(upstream.last.path).toBe('/v1/chat/completions');
    expect(upstream.last.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
      seed: 3,
      user: 'end-user-9',
      max_completion_tokens: 64,
    });
  });

  it('streams an answer with usage', async () => {
    const model = chatModel('/v1');
    let text = '';
    let last: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('stream me')) {
      text += typeof chunk.content === 'string' ? chunk.content : '';
      last = last === undefined ? chunk : last.concat(chunk);
    }
    expect(text).toBe('echo:gpt-4o-mini:stream me');
    expect(last?.usage_metadata?.total_tokens).toEqual(expect.any(Number));
    expect(upstream.last.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('round-trips tool calls through bindTools, then ToolMessages', async () => {
    const model = chatModel('/v1').bindTools(WEATHER_TOOLS);
    upstream.nextResponse(toolCallAnswer());
    const question = new HumanMessage('Weather and time in Paris?');
    const first = await model.invoke([question]);
    expect(first.tool_calls?.map((c) => [c.id, c.name, c.args])).toEqual([
      [TOOL_CALL_IDS[0], 'get_weather', { city: 'Paris', unit: 'celsius' }],
      [TOOL_CALL_IDS[1], 'get_time', { timezone: 'Europe/Paris' }],
    ]);
    expect(
      (upstream.last.body.tools as { function: { name: string } }[]).map((t) => t.function.name),
    ).toEqual(['get_weather', 'get_time']);

    const results = (first.tool_calls ?? []).map(
      (call) =>
        new ToolMessage({
          tool_call_id: call.id ?? '',
          content: call.name === 'get_weather' ? '18°C' : '14:05',
        }),
    );
    const second = await model.invoke([
      question,
      new AIMessage({ content: first.content, tool_calls: first.tool_calls }),
      ...results,
      new HumanMessage('thanks'),
    ]);
    expect(second.content).toBe('echo:gpt-4o-mini:thanks');
    const sent = upstream.last.body.messages as {
      role: string;
      tool_call_id?: string;
      content?: unknown;
      tool_calls?: { id: string; function: { name: string; arguments: string } }[];
    }[];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
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
    expect(sent.slice(2, 4).map((m) => [m.tool_call_id, m.content])).toEqual([
      [TOOL_CALL_IDS[0], '18°C'],
      [TOOL_CALL_IDS[1], '14:05'],
    ]);
  });

  it('keeps a conversation on its model with the id in configuration.defaultHeaders on /v1', async () => {
    const sticky = (model: string): ChatOpenAI =>
      chatModel('/v1', {
        model,
        configuration: { defaultHeaders: { 'x-sentinel-conversation-id': 'langchain-v1-header' } },
      });
    await sticky('openai/model-a').invoke('hi');
    const second = await sticky('openai/model-b').invoke('hi');
    expect(second.response_metadata.model_name).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    for (const request of upstream.requests) {
      expect(request.body).not.toHaveProperty('conversation_id');
      expect(request.headers).not.toHaveProperty('x-sentinel-conversation-id');
    }
  });

  it('keeps a conversation on its model with the id in modelKwargs on the native route', async () => {
    const sticky = (model: string): ChatOpenAI =>
      chatModel('/native/v1', {
        model,
        modelKwargs: { conversation_id: 'langchain-native-body' },
      });
    await sticky('openai/model-a').invoke('hi');
    const second = await sticky('openai/model-b').invoke('hi');
    expect(second.response_metadata.model_name).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    expect(upstream.last.body).not.toHaveProperty('conversation_id');
  });
});

import OpenAI from 'openai';
import { ALICE, createTestApp, TestApp } from '../support/create-test-app';
import { RecordingUpstream, startRecordingUpstream } from '../support/recording-upstream';
import { TOOL_CALL_IDS, toolCallAnswer, WEATHER_TOOLS } from '../support/tool-call-answers';

/**
 * The official `openai` npm client configured as its docs say, with only the base URL changed:
 * `/v1` for tools that know nothing of Sentinel, the conversation id in a default header.
 */
describe('the official openai client against /v1 (base URL only)', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-gateway-upstream-key' },
    });
    client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: ALICE, maxRetries: 0 });
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('gets a chat completion, forwarding seed, user and max_completion_tokens as sent', async () => {
    const answer = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'hello' },
      ],
      seed: 42,
      user: 'end-user-7',
      max_completion_tokens: 128,
    });
    expect(answer.choices[0].message.content).toBe('echo:gpt-4o-mini:hello');
    expect(answer.model).toBe('gpt-4o-mini');
    expect(upstream.last.path).toBe('/v1/chat/completions');
    expect(upstream.last.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'hello' },
      ],
      seed: 42,
      user: 'end-user-7',
      max_completion_tokens: 128,
    });
  });

  it('reads the routing headers through withResponse()', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'echo/anything', messages: [{ role: 'user', content: 'hi' }], seed: 1 })
      .withResponse();
    expect(response.headers.get('x-sentinel-provider')).toBe('echo');
    expect(response.headers.get('x-sentinel-dropped-params')).toBe('seed');
  });

  it('streams a chat completion with a final usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream me' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('echo:gpt-4o-mini:stream me');
    expect(usage?.total_tokens).toEqual(expect.any(Number));
    expect(upstream.last.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('round-trips tool calls: the answer, then the tool results in the next request', async () => {
    upstream.nextResponse(toolCallAnswer());
    const question: OpenAI.ChatCompletionMessageParam = {
      role: 'user',
      content: 'Weather and time in Paris?',
    };
    const first = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [question],
      tools: WEATHER_TOOLS,
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });
    const message = first.choices[0].message;
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(message.tool_calls?.map((c) => c.id)).toEqual(TOOL_CALL_IDS);
    expect(upstream.last.body).toMatchObject({
      tools: WEATHER_TOOLS,
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });

    const results = (message.tool_calls ?? []).map(
      (call): OpenAI.ChatCompletionToolMessageParam => ({
        role: 'tool',
        tool_call_id: call.id,
        content:
          call.type === 'function' && call.function.name === 'get_weather' ? '18°C' : '14:05',
      }),
    );
    const second = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [question, message, ...results, { role: 'user', content: 'thanks' }],
      tools: WEATHER_TOOLS,
    });
    expect(second.choices[0].message.content).toBe('echo:gpt-4o-mini:thanks');
    const sent = upstream.last.body.messages as Record<string, unknown>[];
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
    expect(sent[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: message.tool_calls,
    });
    expect(sent.slice(2, 4)).toEqual(results);
  });

  it('lists the models with models.list()', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['openai', 'echo']);
    expect(upstream.requests).toHaveLength(0);
  });

  it('retrieves one model with models.retrieve(), and 404s a name it does not route', async () => {
    const listed = await client.models.retrieve('echo');
    expect(listed).toMatchObject({ id: 'echo', object: 'model', owned_by: 'sentinel' });
    // The client sends the slash as %2F; any model of an implicit deployment is routable.
    const implicit = await client.models.retrieve('openai/gpt-4o');
    expect(implicit).toMatchObject({ id: 'openai/gpt-4o', object: 'model' });
    const missing = await client.models.retrieve('nope/model').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('not_found');
    expect(upstream.requests).toHaveLength(0);
  });

  it('keeps a conversation on its model with the id in defaultHeaders', async () => {
    const sticky = new OpenAI({
      baseURL: `${app.url}/v1`,
      apiKey: ALICE,
      maxRetries: 0,
      defaultHeaders: { 'x-sentinel-conversation-id': 'openai-v1-header-conversation' },
    });
    const ask = (model: string): Promise<OpenAI.ChatCompletion> =>
      sticky.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    await ask('openai/model-a');
    const second = await ask('openai/model-b');
    expect(second.model).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    for (const request of upstream.requests) {
      expect(request.body).not.toHaveProperty('conversation_id');
      expect(request.headers).not.toHaveProperty('x-sentinel-conversation-id');
    }
  });

  it('keeps a conversation on its model with the id in the body on the native route', async () => {
    const native = new OpenAI({ baseURL: `${app.url}/native/v1`, apiKey: ALICE, maxRetries: 0 });
    const ask = (model: string): Promise<OpenAI.ChatCompletion> =>
      native.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        // @ts-expect-error Sentinel's own field, passed through by the client
        conversation_id: 'openai-native-body-conversation',
      });
    await ask('openai/model-a');
    const second = await ask('openai/model-b');
    expect(second.model).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
    expect(upstream.last.body).not.toHaveProperty('conversation_id');
  });

  it('surfaces a conflicting header and body id as a BadRequestError', async () => {
    const conflicting = client.chat.completions.create(
      {
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        // @ts-expect-error Sentinel's own field, passed through by the client
        conversation_id: 'body-id',
      },
      { headers: { 'x-sentinel-conversation-id': 'header-id' } },
    );
    await expect(conflicting).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(conflicting).rejects.toMatchObject({ status: 400, code: 'invalid_value' });
    expect(upstream.requests).toHaveLength(0);
  });
});

import OpenAI from 'openai';
import { ALICE, createTestApp, TestApp } from '../support/create-test-app';
import { RecordingUpstream, replies, startRecordingUpstream } from '../support/recording-upstream';

/** The official `openai` npm client, pointed at Sentinel exactly as the README shows. */
describe('the official openai client against Sentinel', () => {
  let upstream: RecordingUpstream;
  let app: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = await createTestApp({
      env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-gateway-upstream-key' },
    });
    client = new OpenAI({ baseURL: `${app.url}/native/v1`, apiKey: ALICE, maxRetries: 0 });
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it('gets a chat completion', async () => {
    const answer = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(answer.object).toBe('chat.completion');
    expect(answer.model).toBe('gpt-4o-mini');
    expect(answer.choices[0].message.content).toBe('echo:gpt-4o-mini:hello');
    expect(answer.usage?.total_tokens).toEqual(expect.any(Number));
    expect(upstream.last.body.model).toBe('gpt-4o-mini');
  });

  it('streams a chat completion chunk by chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream me' }],
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe('echo:gpt-4o-mini:stream me');
    expect(usage?.total_tokens).toEqual(expect.any(Number));
  });

  it('keeps a conversation on its model when the client passes conversation_id', async () => {
    const ask = (model: string): Promise<OpenAI.ChatCompletion> =>
      client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        // @ts-expect-error Sentinel's own field, passed through by the client
        conversation_id: 'openai-client-conversation',
      });
    await ask('openai/model-a');
    const second = await ask('openai/model-b');
    expect(second.model).toBe('model-a');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-a']);
  });

  it('surfaces Sentinel errors as typed client errors with the envelope fields', async () => {
    const bad = client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 5,
    });
    await expect(bad).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(bad).rejects.toMatchObject({
      status: 400,
      code: 'invalid_value',
      param: 'temperature',
      type: 'invalid_request_error',
    });

    const unauthorized = new OpenAI({
      baseURL: `${app.url}/native/v1`,
      apiKey: 'sk-wrong-wrong',
      maxRetries: 0,
    });
    await expect(
      unauthorized.chat.completions.create({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('does not retry a request the provider rejected (BadRequestError), as it would a 5xx', async () => {
    const retrying = new OpenAI({ baseURL: `${app.url}/native/v1`, apiKey: ALICE, maxRetries: 2 });
    upstream.nextResponse(replies.status(400));
    const rejected = retrying.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'far too long' }],
    });
    await expect(rejected).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(rejected).rejects.toMatchObject({
      status: 400,
      code: 'provider_rejected_request',
    });
    expect(upstream.requests).toHaveLength(1);
  });

  it('sees an upstream rate limit as a RateLimitError, and a mid-stream failure as a thrown error', async () => {
    upstream.nextResponse(replies.rateLimited('2'));
    await expect(
      client.chat.completions.create({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);

    upstream.nextResponse(replies.partialStream(2, 'destroy'));
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const consume = async (): Promise<number> => {
      let received = 0;
      for await (const chunk of stream) received += chunk.choices.length;
      return received;
    };
    await expect(consume()).rejects.toThrow(OpenAI.APIError);
  });
});

import type { LlmCallContext } from '../llm-adapter.interface';
import type { ChatChunk, ChatRequest } from '../llm-types';
import { EchoAdapter } from './echo.adapter';

const spec = {
  id: 'echo',
  provider: 'echo',
  model: '*',
  timeouts: { connectMs: 1, headersMs: 1, idleMs: 1 },
  maxConnections: 1,
};

function call(controller = new AbortController()): LlmCallContext {
  return { signal: controller.signal, requestId: 'req-echo' };
}

function ask(...messages: ChatRequest['messages']): ChatRequest {
  return { model: 'my-model', messages };
}

async function collect(chunks: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const all: ChatChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe('EchoModel', () => {
  const echo = new EchoAdapter().createModel(spec);
  const conversation = ask(
    { role: 'system', content: 'You echo.' },
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: 'first answer' },
    { role: 'user', content: '  Hello,   wide\tworld! ' },
  );

  it('belongs to the deployment it was created for and honours no optional field', () => {
    expect(echo.deploymentId).toBe('echo');
    expect(new EchoAdapter().supportedParams.size).toBe(0);
  });

  it('answers with the last user message, for the requested model, with word-count usage', async () => {
    const result = await echo.complete(conversation, call());

    expect(result.model).toBe('my-model');
    expect(result.id).toMatch(/^chatcmpl-echo-/);
    expect(result.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: '  Hello,   wide\tworld! ' },
        finish_reason: 'stop',
      },
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
  });

  it('joins the text parts of a multi-part message and ignores images', async () => {
    const result = await echo.complete(
      ask({
        role: 'user',
        content: [
          { type: 'text', text: 'What is' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'text', text: 'this?' },
        ],
      }),
      call(),
    );

    expect(result.choices[0].message.content).toBe('What is this?');
  });

  it('answers "(no text)" when the last user message has no text', async () => {
    const imageOnly = ask({
      role: 'user',
      content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }],
    });

    expect((await echo.complete(imageOnly, call())).choices[0].message.content).toBe('(no text)');
    expect(
      (await echo.complete(ask({ role: 'system', content: 'x' }), call())).choices[0].message
        .content,
    ).toBe('(no text)');
  });

  it('streams a role chunk, one chunk per word, stop, then a usage-only chunk', async () => {
    const chunks = await collect(
      await echo.stream(ask({ role: 'user', content: 'one two  three' }), call()),
    );
    const usage = chunks.pop()!;

    expect(chunks.map((c) => c.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'one ' },
      { content: 'two  ' },
      { content: 'three' },
      {},
    ]);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
    expect(chunks.every((c) => c.usage === undefined)).toBe(true);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 3,
      total_tokens: 6,
    });
    expect(new Set([...chunks, usage].map((c) => c.id)).size).toBe(1);
    expect([...chunks, usage].every((c) => c.model === 'my-model')).toBe(true);
  });

  it('streams chunks whose concatenation equals the JSON answer exactly', async () => {
    const json = await echo.complete(conversation, call());
    const chunks = await collect(await echo.stream(conversation, call()));

    const streamed = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(streamed).toBe(json.choices[0].message.content);
  });

  it('stops streaming between chunks once the signal aborts', async () => {
    const controller = new AbortController();
    const iterator = (await echo.stream(conversation, call(controller)))[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();

    controller.abort();

    await expect(iterator.next()).rejects.toBe(controller.signal.reason);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(echo.complete(conversation, call(controller))).rejects.toBe(
      controller.signal.reason,
    );
    await expect(echo.stream(conversation, call(controller))).rejects.toBe(
      controller.signal.reason,
    );
  });
});

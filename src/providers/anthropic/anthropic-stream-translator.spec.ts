import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatChunk } from '../llm-types';
import { AnthropicStreamTranslator } from './anthropic-stream-translator';

const NOW = 1_760_000_000_000;

/** The decoded `data:` of every event of a recorded stream, in order. */
function events(fixture: string): unknown[] {
  return readFileSync(join(__dirname, 'fixtures', fixture), 'utf8')
    .split('\n\n')
    .filter((frame) => frame.includes('data: '))
    .map((frame) => JSON.parse(frame.split('data: ')[1]) as unknown);
}

function translate(all: unknown[]): ChatChunk[] {
  const translator = new AnthropicStreamTranslator(() => NOW);
  const chunks = all.flatMap((event) => translator.push(event));
  translator.end();
  return chunks;
}

/** The chunks without their envelope (id, created, model), to compare them in order. */
const bodies = (chunks: ChatChunk[]): Partial<ChatChunk>[] =>
  chunks.map(({ choices, usage }) => (usage === undefined ? { choices } : { choices, usage }));
const delta = (d: object): Partial<ChatChunk> => ({
  choices: [{ index: 0, delta: d, finish_reason: null }],
});

/** What a client rebuilds from the tool-call deltas: arguments per OpenAI index. */
function rebuild(chunks: ChatChunk[]): { id?: string; name?: string; arguments: string }[] {
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
      const entry = (calls[call.index] ??= { arguments: '' });
      if (call.id !== undefined) entry.id = call.id;
      if (call.function?.name !== undefined) entry.name = call.function.name;
      entry.arguments += call.function?.arguments ?? '';
    }
  }
  return calls;
}

describe('AnthropicStreamTranslator', () => {
  it('translates the recorded text stream into role, text, finish and usage chunks', () => {
    const chunks = translate(events('text-stream.sse'));

    expect(chunks[0]).toStrictEqual({
      id: 'msg_01QCqAGPEhH8YN3hCM3HtVDC',
      created: NOW / 1000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    expect(bodies(chunks)).toStrictEqual([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Hello' }),
      delta({ content: '! How can I help?' }),
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      {
        choices: [],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 30,
          total_tokens: 42,
        },
      },
    ]);
  });

  it('gives text then two tools the OpenAI indices 0 and 1, id and name first, "{}" for none', () => {
    const chunks = translate(events('two-tools-stream.sse'));

    expect(bodies(chunks)).toStrictEqual([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Checking both.' }),
      delta({
        tool_calls: [
          {
            index: 0,
            id: 'toolu_A',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"city": "Bos' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: 'ton"}' } }] }),
      delta({
        tool_calls: [
          {
            index: 1,
            id: 'toolu_B',
            type: 'function',
            function: { name: 'get_time', arguments: '' },
          },
        ],
      }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '{}' } }] }),
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      {
        choices: [],
        usage: {
          prompt_tokens: 490,
          completion_tokens: 89,
          total_tokens: 579,
          prompt_tokens_details: { cached_tokens: 100 },
        },
      },
    ]);
    expect(rebuild(chunks)).toEqual([
      { id: 'toolu_A', name: 'get_weather', arguments: '{"city": "Boston"}' },
      { id: 'toolu_B', name: 'get_time', arguments: '{}' },
    ]);
  });

  it('numbers two tools without text from 0 and forwards fragments split inside escapes untouched', () => {
    const chunks = translate(events('two-tools-no-text-stream.sse'));
    const calls = rebuild(chunks);

    expect(calls.map((c) => c.id)).toEqual(['toolu_X', 'toolu_Y']);
    expect(JSON.parse(calls[0].arguments)).toEqual({ q: 'a"b\\c', n: 123.5 });
    expect(calls[1].arguments).toBe('{}');
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 41208,
      completion_tokens: 21,
      total_tokens: 41229,
      prompt_tokens_details: { cached_tokens: 41203 },
    });
  });

  it('ignores thinking, signature and citation deltas and keeps the tool at index 0', () => {
    const chunks = translate(events('thinking-text-tool-stream.sse'));

    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Let me look.');
    expect(rebuild(chunks)).toEqual([
      {
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_time',
        arguments: '{"tz":"Europe/Paris"}',
      },
    ]);
    // message_delta's larger input count replaces message_start's; cache writes count in.
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 61 + 2048, completion_tokens: 57 });
  });

  it('emits the finish chunk before the usage chunk, and the usage chunk last', () => {
    const chunks = translate(events('text-stream.sse'));
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
  });

  it('ignores a second message_start: one role chunk, usage not counted twice', () => {
    const all = events('text-stream.sse');
    const chunks = translate([all[0], all[0], ...all.slice(1)]);
    expect(chunks.filter((c) => c.choices[0]?.delta.role === 'assistant')).toHaveLength(1);
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(12);
  });

  it('sends content already present in message_start and a prepopulated tool input', () => {
    const chunks = translate([
      {
        type: 'message_start',
        message: {
          id: 'msg_p',
          model: 'claude',
          content: [{ type: 'text', text: 'Pre' }],
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'fill' } },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'toolu_P', name: 'f', input: { a: 1 } },
      },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Prefill');
    expect(rebuild(chunks)).toEqual([{ id: 'toolu_P', name: 'f', arguments: '{"a":1}' }]);
  });

  it('ignores pings and unknown event types', () => {
    const all = events('text-stream.sse');
    const noisy = [all[0], { type: 'ping' }, { type: 'brand_new_event', x: 1 }, ...all.slice(1)];
    expect(translate(noisy)).toHaveLength(translate(all).length);
  });

  it('emits a finish chunk at message_stop when message_delta never came', () => {
    const all = events('text-stream.sse').filter(
      (e) => (e as { type: string }).type !== 'message_delta',
    );
    const chunks = translate(all);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
  });

  it('throws the classified error of an error event, after the text already translated', () => {
    const translator = new AnthropicStreamTranslator(() => NOW);
    const [start, block, , text] = events('text-stream.sse');
    const seen = [start, block, text].flatMap((e) => translator.push(e));

    expect(seen).toHaveLength(2);
    expect(() =>
      translator.push({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      }),
    ).toThrow(
      expect.objectContaining({
        cls: 'server',
        message: 'Anthropic reported an error mid-stream.',
        detail: 'overloaded_error',
      }),
    );
  });

  it('throws an error event that comes before any delta', () => {
    const translator = new AnthropicStreamTranslator(() => NOW);
    expect(() =>
      translator.push({ type: 'error', error: { type: 'rate_limit_error', message: 'x' } }),
    ).toThrow(expect.objectContaining({ cls: 'rate_limit' }));
  });

  it('fails a stream that ended without message_stop', () => {
    const translator = new AnthropicStreamTranslator(() => NOW);
    events('text-stream.sse')
      .slice(0, 5)
      .forEach((e) => translator.push(e));
    expect(() => translator.end()).toThrow(
      expect.objectContaining({
        cls: 'server',
        message: 'The Anthropic stream ended before message_stop.',
      }),
    );
  });

  it.each([
    ['a non-object event', 'text'],
    [
      'content before message_start',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } },
    ],
    [
      'an input_json_delta for no tool block',
      {
        type: 'content_block_delta',
        index: 5,
        delta: { type: 'input_json_delta', partial_json: '{' },
      },
    ],
  ])('rejects %s as a malformed stream', (_label, event) => {
    const translator = new AnthropicStreamTranslator(() => NOW);
    if (typeof event === 'object' && event.type === 'content_block_delta' && event.index === 5) {
      translator.push(events('text-stream.sse')[0]);
    }
    expect(() => translator.push(event)).toThrow(expect.objectContaining({ cls: 'server' }));
  });

  it('ignores whatever follows message_stop', () => {
    const translator = new AnthropicStreamTranslator(() => NOW);
    events('text-stream.sse').forEach((e) => translator.push(e));
    expect(
      translator.push({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'late' },
      }),
    ).toEqual([]);
  });
});

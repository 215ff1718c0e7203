import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatChunk } from '../llm-types';
import { mapOpenAiChunk, parseOpenAiChunk } from './map-openai-chunk';

/** The `data:` payloads of the recorded transcript, in order. */
const transcript = readFileSync(join(__dirname, 'fixtures/stream-transcript.sse'), 'utf8')
  .split('\n\n')
  .filter((event) => event.startsWith('data: '))
  .map((event) => event.slice('data: '.length));

const chunks = (): ChatChunk[] => transcript.filter((d) => d !== '[DONE]').map(parseOpenAiChunk);
const envelope = {
  id: 'chatcmpl-BqJoX7pLm2Qa9ZtR4cVn1sHkY8wE3',
  created: 1751980455,
  model: 'gpt-4o-mini-2024-07-18',
};

describe('mapOpenAiChunk', () => {
  it('maps the role chunk to role and empty content, stripping refusal, logprobs and extras', () => {
    expect(chunks()[0]).toStrictEqual({
      ...envelope,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
  });

  it('maps content chunks whose concatenation is the streamed text', () => {
    const text = chunks()
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');

    expect(text).toBe('Let me check the weather.');
  });

  it('keeps tool-call deltas: id, type and name first, then argument fragments by index', () => {
    const deltas = chunks().flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);

    expect(deltas).toStrictEqual([
      {
        index: 0,
        id: 'call_Zr4Tq8WnB2xLk6Ys1Jd9Hc3F',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"ci' } },
      { index: 0, function: { arguments: 'ty":"Pa' } },
      { index: 0, function: { arguments: 'ris"}' } },
    ]);
    expect(deltas.map((d) => d.function?.arguments).join('')).toBe('{"city":"Paris"}');
  });

  it('maps the finish chunk with an empty delta and the finish reason', () => {
    const finish = chunks()[8];

    expect(finish).toStrictEqual({
      ...envelope,
      choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
    });
  });

  it('keeps usage only on the final usage chunk, which has no choices', () => {
    const all = chunks();
    const last = all[all.length - 1];

    expect(last).toStrictEqual({
      ...envelope,
      choices: [],
      usage: { prompt_tokens: 81, completion_tokens: 23, total_tokens: 104 },
    });
    expect(all.slice(0, -1).every((chunk) => !('usage' in chunk))).toBe(true);
  });

  it('ends the recorded transcript with [DONE]', () => {
    expect(transcript[transcript.length - 1]).toBe('[DONE]');
  });

  it('throws a server failure for an error event, without the upstream message', () => {
    const event = { error: { message: 'secret: overloaded', type: 'server_error' } };

    expect(() => mapOpenAiChunk(event)).toThrow(
      expect.objectContaining({
        cls: 'server',
        message: 'The provider reported an error event mid-stream (type server_error).',
      }),
    );
  });

  it.each([
    ['broken JSON', '{"id":"chatcmpl-1","choi'],
    ['a JSON string', '"hello"'],
    ['no choices', JSON.stringify({ ...envelope })],
    ['a non-object delta', JSON.stringify({ ...envelope, choices: [{ index: 0, delta: 'x' }] })],
    ['a numeric created as string', JSON.stringify({ ...envelope, created: '1', choices: [] })],
  ])('rejects %s as a malformed response', (_label, data) => {
    expect(() => parseOpenAiChunk(data)).toThrow(
      expect.objectContaining({
        cls: 'server',
        message: 'The provider returned a malformed response.',
      }),
    );
  });

  it('tolerates a choice without delta (content-filter chunks) as an empty delta', () => {
    const chunk = mapOpenAiChunk({ ...envelope, choices: [{ index: 0, finish_reason: null }] });

    expect(chunk.choices).toEqual([{ index: 0, delta: {}, finish_reason: null }]);
  });
});

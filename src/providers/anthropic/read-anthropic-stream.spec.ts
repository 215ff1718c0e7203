import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { ChatChunk } from '../llm-types';
import { readAnthropicStream } from './read-anthropic-stream';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** The text in pieces of `size` bytes, as separate network reads. */
function body(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces, { objectMode: false });
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const signal = (): AbortSignal => new AbortController().signal;
const text = (chunks: ChatChunk[]): string =>
  chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('readAnthropicStream', () => {
  it.each([1, 7, 64, 100_000])(
    'reads the same chunks whatever the network reads (%i bytes each)',
    async (size) => {
      const chunks = await collect(
        readAnthropicStream(body(fixture('two-tools-stream.sse'), size), signal()),
      );
      expect(chunks).toHaveLength(9);
      expect(text(chunks)).toBe('Checking both.');
      expect(chunks.at(-1)?.usage?.total_tokens).toBe(579);
    },
  );

  it('reads frames whose event: and data: lines are split, or end in CRLF', async () => {
    const crlf = fixture('text-stream.sse').replace(/\n/g, '\r\n');
    const chunks = await collect(readAnthropicStream(body(crlf, 3), signal()));
    expect(text(chunks)).toBe('Hello! How can I help?');
  });

  it('yields each chunk as soon as its event arrived, before the body ends', async () => {
    const frames = fixture('text-stream.sse').split('\n\n');
    const live = new PassThrough();
    const iterator = readAnthropicStream(live, signal())[Symbol.asyncIterator]();
    live.write(`${frames[0]}\n\n`);
    expect((await iterator.next()).value).toMatchObject({
      choices: [{ delta: { role: 'assistant' } }],
    });
    live.write(`${frames[1]}\n\n${frames[2]}\n\n${frames[3]}\n\n`);
    expect((await iterator.next()).value).toMatchObject({
      choices: [{ delta: { content: 'Hello' } }],
    });
    live.end(frames.slice(4).join('\n\n'));
    const rest: ChatChunk[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest.push(next.value);
    expect(rest.at(-1)?.choices).toEqual([]);
  });

  it('accepts a last event not followed by a blank line', async () => {
    const trimmed = fixture('text-stream.sse').trimEnd();
    const chunks = await collect(readAnthropicStream(body(trimmed, 50), signal()));
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(42);
  });

  it('throws a server failure when the body ends before message_stop', async () => {
    const cut = fixture('text-stream.sse').split('event: message_delta')[0];
    const seen: ChatChunk[] = [];
    const read = async (): Promise<void> => {
      for await (const chunk of readAnthropicStream(body(cut, 40), signal())) seen.push(chunk);
    };
    await expect(read()).rejects.toMatchObject({ name: 'ProviderError', cls: 'server' });
    expect(text(seen)).toBe('Hello! How can I help?');
  });

  it('throws the classified error of an error event after some text', async () => {
    const frames = fixture('text-stream.sse').split('\n\n');
    const failing = [
      ...frames.slice(0, 4),
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      '',
    ].join('\n\n');
    await expect(collect(readAnthropicStream(body(failing, 30), signal()))).rejects.toMatchObject({
      cls: 'server',
      message: 'Anthropic reported an error mid-stream.',
      detail: 'overloaded_error',
    });
  });

  it('throws a malformed-response failure for an event that is not JSON, without quoting it', async () => {
    const broken = `${fixture('text-stream.sse').split('\n\n')[0]}\n\nevent: ping\ndata: {"type":"pi SECRET\n\n`;
    const error = await collect(readAnthropicStream(body(broken, 1000), signal())).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ cls: 'server' });
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('rejects with the abort reason and destroys the body when the signal aborts', async () => {
    const live = new PassThrough();
    const controller = new AbortController();
    const iterator = readAnthropicStream(live, controller.signal)[Symbol.asyncIterator]();
    live.write(`${fixture('text-stream.sse').split('\n\n')[0]}\n\n`);
    await iterator.next();
    const pending = iterator.next();
    controller.abort(new Error('client left'));
    live.destroy(controller.signal.reason as Error);
    await expect(pending).rejects.toThrow('client left');
    expect(live.destroyed).toBe(true);
  });
});

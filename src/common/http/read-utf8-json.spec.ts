import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readUtf8Json, Utf8JsonResult } from './read-utf8-json';
import { rawDepthExceeds } from './json-body.middleware';

const depth3 = (bytes: Uint8Array): boolean => rawDepthExceeds(bytes, 3);

/** Feeds `chunks` to the reader as a request body would arrive; `end: false` leaves it open. */
function read(
  chunks: Array<string | Buffer>,
  { limit = 1_000, end = true } = {},
): { result: Promise<Utf8JsonResult>; body: PassThrough } {
  const body = new PassThrough();
  const result = new Promise<Utf8JsonResult>((resolve) =>
    readUtf8Json(body as unknown as IncomingMessage, limit, depth3, resolve),
  );
  for (const chunk of chunks) body.write(chunk);
  if (end) body.end();
  return { result, body };
}

describe('readUtf8Json', () => {
  it('parses a body split across chunks, even inside a multi-byte character', async () => {
    const bytes = Buffer.from('{"content":"héllo ✓"}');
    const { result } = read([bytes.subarray(0, 14), bytes.subarray(14)]);
    await expect(result).resolves.toEqual({ ok: true, body: { content: 'héllo ✓' } });
  });

  it('drops a leading UTF-8 byte order mark and reads invalid bytes as U+FFFD', async () => {
    const { result } = read([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('["a'),
      Buffer.from([0xff]),
      Buffer.from('b"]'),
    ]);
    await expect(result).resolves.toEqual({ ok: true, body: ['a\ufffdb'] });
  });

  it('reads an empty body as an empty object, as body-parser does', async () => {
    await expect(read([]).result).resolves.toEqual({ ok: true, body: {} });
  });

  it.each([['{"unclosed":'], ['{} trailing'], ['nul']])(
    'refuses %s as invalid JSON',
    async (text) => {
      await expect(read([text]).result).resolves.toEqual({ ok: false, failure: 'invalid_json' });
    },
  );

  it.each([
    ['"a string"', 'a string'],
    ['42', 42],
    ['null', null],
  ])(
    'reads the JSON scalar %s (the middleware says a body must be an object)',
    async (text, value) => {
      await expect(read([text]).result).resolves.toEqual({ ok: true, body: value });
    },
  );

  it('refuses nesting beyond the limit before parsing', async () => {
    await expect(read(['[[[[1]]]]']).result).resolves.toEqual({
      ok: false,
      failure: 'too_deep',
    });
    await expect(read(['[[[1]]]']).result).resolves.toEqual({ ok: true, body: [[[1]]] });
  });

  it('stops at the first chunk past the limit, without waiting for the end', async () => {
    const { result, body } = read(['{"a":"', 'x'.repeat(20)], { limit: 16, end: false });
    await expect(result).resolves.toEqual({ ok: false, failure: 'too_large' });
    expect(body.isPaused()).toBe(true);
  });

  it('reports a body cut off by the client as aborted', async () => {
    const { result, body } = read(['{"a":'], { end: false });
    body.destroy();
    await expect(result).resolves.toEqual({ ok: false, failure: 'aborted' });
  });
});

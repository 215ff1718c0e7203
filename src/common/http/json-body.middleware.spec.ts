import { MAX_JSON_DEPTH, rawDepthExceeds, shapeProblem } from './json-body.middleware';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('rawDepthExceeds', () => {
  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(rawDepthExceeds(bytes(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false);
    expect(rawDepthExceeds(bytes(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    expect(rawDepthExceeds(bytes(`{"a":${nested(3)},"b":{"c":{}}}`), 3)).toBe(true);
    expect(rawDepthExceeds(bytes(`[${nested(2)},${nested(2)},{}]`), 3)).toBe(false);
  });

  it('does not count brackets inside strings, including after escaped quotes and backslashes', () => {
    const text = JSON.stringify({ s: '[[[[{{{{', t: 'quote \\" [[[[', u: 'slash \\\\', v: '[[[[' });
    expect(rawDepthExceeds(bytes(text), 1)).toBe(false);
    expect(rawDepthExceeds(bytes(`{"a\\\\":[[]]}`), 2)).toBe(true);
  });

  it('stops at the first level too deep instead of scanning the whole body', () => {
    const text = nested(1_000_000);
    const started = performance.now();
    expect(rawDepthExceeds(bytes(text), MAX_JSON_DEPTH)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('shapeProblem', () => {
  const wide = (keys: number): Record<string, number> =>
    Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i]));

  it('accepts ordinary bodies and primitives', () => {
    expect(shapeProblem({ a: [1, { b: 'c' }], d: null }, 4, 10)).toBeNull();
    expect(shapeProblem('text', 1, 1)).toBeNull();
    expect(shapeProblem(null, 1, 1)).toBeNull();
  });

  it('names nesting deeper than the limit', () => {
    expect(shapeProblem({ a: { b: { c: {} } } }, 3, 10)).toBe(
      'Request body nests deeper than 3 levels.',
    );
    expect(shapeProblem(JSON.parse(nested(100_000)), 64, 10)).toMatch(/deeper than 64/);
  });

  it('names an object with more keys than the limit, at any depth, but not a long array', () => {
    expect(shapeProblem(wide(10), 4, 10)).toBeNull();
    expect(shapeProblem({ tools: [{ parameters: wide(11) }] }, 8, 10)).toBe(
      'Request body has an object with more than 10 keys.',
    );
    expect(shapeProblem({ messages: Array.from({ length: 1_000 }, () => ({})) }, 4, 10)).toBeNull();
  });
});

import { parseApiKeys } from './parse-api-keys';

describe('parseApiKeys', () => {
  it('maps each key to its external_id', () => {
    const keys = parseApiKeys('alice:sk-a1a1a1a1, bob:sk-b2b2b2b2');
    expect([...keys]).toEqual([
      ['sk-a1a1a1a1', 'alice'],
      ['sk-b2b2b2b2', 'bob'],
    ]);
  });

  it('splits on the first colon, so keys may contain colons', () => {
    expect(parseApiKeys('svc:key:with:colons').get('key:with:colons')).toBe('svc');
  });

  it('ignores empty entries and yields nothing for an empty string', () => {
    expect(parseApiKeys('').size).toBe(0);
    expect(parseApiKeys('alice:sk-a1a1a1a1,,').size).toBe(1);
  });

  it.each([
    ['no-colon-here', /entry 1/],
    [':sk-a1a1a1a1', /external_id/],
    ['alice:short', /8\.\.512/],
    ['ali ce:sk-a1a1a1a1', /external_id/],
    ['alice:sk-a1a1a1a1,bob:sk-a1a1a1a1', /repeats/],
  ])('rejects %p', (raw, message) => {
    expect(() => parseApiKeys(raw)).toThrow(message);
  });

  it('never puts a key in an error message', () => {
    expect(() => parseApiKeys('alice:sk-a1a1a1a1,bob:sk-a1a1a1a1')).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('sk-a1'),
      }),
    );
  });
});

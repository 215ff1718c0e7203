import { secretMatcher } from './secret-matcher';

describe('secretMatcher', () => {
  const matches = secretMatcher('the-right-secret-0123');

  it('accepts exactly the secret', () => {
    expect(matches('the-right-secret-0123')).toBe(true);
  });

  it('rejects anything else, of any length or type, without throwing', () => {
    for (const presented of [
      '',
      'the-right-secret-012',
      'the-right-secret-01234',
      'x',
      undefined,
      ['the-right-secret-0123'],
    ]) {
      expect(matches(presented)).toBe(false);
    }
  });
});

import { parseTrustProxy } from './parse-trust-proxy';

describe('parseTrustProxy', () => {
  it('is off unless set, so X-Forwarded-For cannot be forged by a direct client', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
  });

  it('takes true, a hop count, or trusted addresses, subnets and Express names', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('10.0.0.0/8, loopback,::1,fd00::/8')).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['yes', '10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/1', '1.5'])(
    'refuses %p',
    (value) => {
      expect(() => parseTrustProxy(value)).toThrow(/hop count/);
    },
  );
});

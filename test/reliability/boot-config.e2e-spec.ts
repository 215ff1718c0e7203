import { runGatewayUntilExit } from '../support/gateway-process';

/**
 * A bad environment stops the production build at boot with ONE line on stderr naming every
 * bad variable — with its value, unless the variable is a secret — and exit status 1.
 */
describe('boot with an invalid environment', () => {
  it('SESSION_TTL_SECONDS=abc: exit 1, one stderr line that shows the bad value, nothing else', async () => {
    const run = await runGatewayUntilExit({ SESSION_TTL_SECONDS: 'abc' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([expect.any(String), '']);
    expect(run.stderr).toMatch(
      /^sentinel: Invalid configuration: SESSION_TTL_SECONDS="abc" must be an integer/,
    );
    expect(run.stderr).not.toMatch(/\bat |node_modules|Nest|ExceptionHandler/);
  });

  it('names every bad variable on that line, and never shows a secret value', async () => {
    const run = await runGatewayUntilExit({
      PORT: 'eighty',
      CACHE_BACKEND: 'memcached',
      SESSION_TTL_SECONDS: '0',
      DEBUG_ENDPOINTS: 'true',
      ADMIN_API_KEY: 'tiny-secret',
      API_KEYS: 'alice:short',
      REDIS_URL: 'http://user:hunter2@cache:6379',
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    for (const shown of ['PORT="eighty"', 'CACHE_BACKEND="memcached"', 'SESSION_TTL_SECONDS="0"']) {
      expect(lines[0]).toContain(shown);
    }
    for (const hidden of [
      'ADMIN_API_KEY (value hidden)',
      'API_KEYS (value hidden)',
      'REDIS_URL (value hidden)',
    ]) {
      expect(lines[0]).toContain(hidden);
    }
    expect(lines[0]).not.toMatch(/tiny-secret|short|hunter2/);
  });
});

import { ConfigValidationError } from './config-validation.error';
import { validateEnv } from './validate-env';

describe('validateEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      CACHE_BACKEND: 'memory',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SESSION_TTL_SECONDS: 86400,
      SESSION_STORE_FAILURE_MODE: 'open',
      OPENAI_BASE_URL: 'https://api.openai.com/v1',
      DEFAULT_PROVIDER: 'openai',
      ECHO_PROVIDER: false,
      DEBUG_ENDPOINTS: false,
    });
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it('turns strings into typed values', () => {
    const env = validateEnv({
      PORT: '8080',
      SESSION_TTL_SECONDS: '60',
      ECHO_PROVIDER: 'true',
      CACHE_BACKEND: 'redis',
    });
    expect(env.PORT).toBe(8080);
    expect(env.SESSION_TTL_SECONDS).toBe(60);
    expect(env.ECHO_PROVIDER).toBe(true);
    expect(env.CACHE_BACKEND).toBe('redis');
  });

  it.each([['0'], ['-5'], ['1.5'], ['abc'], ['31536001']])(
    'rejects SESSION_TTL_SECONDS=%s',
    (ttl) => {
      expect(() => validateEnv({ SESSION_TTL_SECONDS: ttl })).toThrow(/SESSION_TTL_SECONDS/);
    },
  );

  it('accepts the TTL range bounds 1 and 31536000', () => {
    expect(validateEnv({ SESSION_TTL_SECONDS: '1' }).SESSION_TTL_SECONDS).toBe(1);
    expect(validateEnv({ SESSION_TTL_SECONDS: '31536000' }).SESSION_TTL_SECONDS).toBe(31536000);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      validateEnv({
        PORT: 'eighty',
        CACHE_BACKEND: 'memcached',
        OPENAI_BASE_URL: 'not a url',
        ECHO_PROVIDER: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'CACHE_BACKEND', 'OPENAI_BASE_URL', 'ECHO_PROVIDER']) {
      expect(message).toContain(name);
    }
    expect((error as ConfigValidationError).problems).toHaveLength(4);
  });

  it('never echoes secret values in its message', () => {
    expect(() =>
      validateEnv({
        API_KEYS: 'alice:short',
        DEBUG_ENDPOINTS: 'true',
        ADMIN_API_KEY: 'tiny-secret',
      }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringMatching(/short|tiny-secret/),
      }),
    );
  });

  it('requires ADMIN_API_KEY when DEBUG_ENDPOINTS=true', () => {
    expect(() => validateEnv({ DEBUG_ENDPOINTS: 'true' })).toThrow(/ADMIN_API_KEY/);
    expect(
      validateEnv({ DEBUG_ENDPOINTS: 'true', ADMIN_API_KEY: 'a-long-enough-admin-key' })
        .DEBUG_ENDPOINTS,
    ).toBe(true);
  });

  it('accepts DOCS_API_KEY and METRICS_TOKEN of 16+ characters and rejects short ones unechoed', () => {
    const env = validateEnv({
      DOCS_API_KEY: 'docs-key-0123456789',
      METRICS_TOKEN: 'metrics-token-0123456789',
    });
    expect(env.DOCS_API_KEY).toBe('docs-key-0123456789');
    expect(env.METRICS_TOKEN).toBe('metrics-token-0123456789');
    expect(validateEnv({ DOCS_API_KEY: '', METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(() =>
      validateEnv({ DOCS_API_KEY: 'short-docs', METRICS_TOKEN: 'short-metrics' }),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/DOCS_API_KEY[\s\S]*METRICS_TOKEN/),
      }),
    );
    expect(() => validateEnv({ METRICS_TOKEN: 'short-metrics' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('short-metrics') }),
    );
  });

  it('rejects a non-http upstream URL and a non-redis store URL', () => {
    expect(() => validateEnv({ OPENAI_BASE_URL: 'file:///etc/passwd' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => validateEnv({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(validateEnv({ REDIS_URL: 'rediss://cache.internal:6380' }).REDIS_URL).toBe(
      'rediss://cache.internal:6380',
    );
  });

  it('treats empty values as unset', () => {
    const env = validateEnv({ OPENAI_API_KEY: '', ADMIN_API_KEY: '', CORS_ORIGINS: ' ' });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.ADMIN_API_KEY).toBeUndefined();
    expect(env.CORS_ORIGINS).toBeUndefined();
  });

  it('checks CORS_ORIGINS entries', () => {
    expect(() => validateEnv({ CORS_ORIGINS: 'https://a.example, javascript:alert(1)' })).toThrow(
      /CORS_ORIGINS/,
    );
    expect(
      validateEnv({ CORS_ORIGINS: 'https://a.example,http://localhost:5173' }).CORS_ORIGINS,
    ).toBeDefined();
  });

  it('says it all on one line, with the offending value of every non-secret variable', () => {
    let message = '';
    try {
      validateEnv({
        SESSION_TTL_SECONDS: 'abc',
        LOG_LEVEL: 'loud',
        OPENAI_API_KEY: ' ',
        METRICS_TOKEN: 'x',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toContain('SESSION_TTL_SECONDS="abc" must be an integer number');
    expect(message).toContain('LOG_LEVEL="loud" must be one of the following values');
    expect(message).toContain('METRICS_TOKEN (value hidden) must be 16..256 printable characters');
  });
});

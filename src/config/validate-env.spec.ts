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

  describe('Redis topology (REDIS_MODE)', () => {
    it('defaults to standalone on REDIS_URL, without TLS', () => {
      expect(validateEnv({})).toMatchObject({ REDIS_MODE: 'standalone', REDIS_TLS: false });
    });

    it('accepts a cluster seed list and a sentinel set, and ignores REDIS_URL outside standalone', () => {
      const cluster = validateEnv({
        REDIS_MODE: 'cluster',
        REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1:6379',
        REDIS_URL: 'not even a url',
      });
      expect(cluster.REDIS_CLUSTER_NODES).toBe('redis-0:6379,redis-1:6379');
      const sentinel = validateEnv({
        REDIS_MODE: 'sentinel',
        REDIS_SENTINELS: 's-0:26379,s-1:26379,s-2:26379',
        REDIS_SENTINEL_NAME: 'sentinel-primary',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
        REDIS_TLS: 'true',
      });
      expect(sentinel).toMatchObject({ REDIS_MODE: 'sentinel', REDIS_TLS: true });
    });

    it.each([
      [{ REDIS_MODE: 'cluster' }, /REDIS_CLUSTER_NODES: required when REDIS_MODE=cluster/],
      [{ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 's:26379' }, /REDIS_SENTINEL_NAME: required/],
      [{ REDIS_MODE: 'sentinel', REDIS_SENTINEL_NAME: 'm' }, /REDIS_SENTINELS: required/],
      [
        { REDIS_CLUSTER_NODES: 'redis-0:6379' },
        /REDIS_CLUSTER_NODES: only used when REDIS_MODE=cluster/,
      ],
      [
        { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 's:26379' },
        /REDIS_SENTINELS: only used when REDIS_MODE=sentinel/,
      ],
      [
        { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'redis-0' },
        /REDIS_CLUSTER_NODES: comma-separated host:port/,
      ],
      [
        { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:1', REDIS_KEY_PREFIX: '{app}:' },
        /REDIS_KEY_PREFIX: must not contain/,
      ],
      [{ REDIS_MODE: 'replicated' }, /REDIS_MODE/],
    ])('stops the boot on a bad or incomplete combination: %p', (env, message) => {
      expect(() => validateEnv(env)).toThrow(message);
    });

    it('never echoes the sentinel password or a node list in its message', () => {
      expect(() =>
        validateEnv({
          REDIS_MODE: 'cluster',
          REDIS_CLUSTER_NODES: 'secret-host',
          REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
        }),
      ).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/secret/) }));
    });
  });

  describe('HTTP server behind a load balancer', () => {
    it('defaults to keep-alive 65 s, headers 66 s and no trusted proxy', () => {
      expect(validateEnv({})).toMatchObject({
        HTTP_KEEP_ALIVE_TIMEOUT_MS: 65_000,
        HTTP_HEADERS_TIMEOUT_MS: 66_000,
      });
      expect(validateEnv({}).TRUST_PROXY).toBeUndefined();
    });

    it('refuses a headers timeout that does not exceed the keep-alive timeout, and a bad TRUST_PROXY', () => {
      expect(() =>
        validateEnv({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000', HTTP_HEADERS_TIMEOUT_MS: '70000' }),
      ).toThrow(/HTTP_HEADERS_TIMEOUT_MS: must be greater/);
      expect(() => validateEnv({ TRUST_PROXY: 'sometimes' })).toThrow(/TRUST_PROXY/);
      expect(validateEnv({ TRUST_PROXY: '10.0.0.0/8' }).TRUST_PROXY).toBe('10.0.0.0/8');
    });
  });
});

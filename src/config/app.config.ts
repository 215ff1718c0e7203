import { registerAs } from '@nestjs/config';
import { parseTrustProxy } from './parse-trust-proxy';
import { loadEnv } from './validate-env';

export const appConfig = registerAs('app', () => {
  const env = loadEnv();
  return {
    port: env.PORT,
    host: env.HOST,
    production: env.NODE_ENV === 'production',
    development: env.NODE_ENV === 'development',
    logLevel: env.LOG_LEVEL,
    maxBodyBytes: env.MAX_BODY_BYTES,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
  };
});
export type AppConfig = ReturnType<typeof appConfig>;

import { registerAs } from '@nestjs/config';
import { loadEnv } from './validate-env';

export const sessionConfig = registerAs('session', () => {
  const env = loadEnv();
  return {
    ttlSeconds: env.SESSION_TTL_SECONDS,
    failureMode: env.SESSION_STORE_FAILURE_MODE,
    retryAfterSeconds: env.SESSION_STORE_RETRY_AFTER_SECONDS,
  };
});
export type SessionConfig = ReturnType<typeof sessionConfig>;

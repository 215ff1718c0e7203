import { registerAs } from '@nestjs/config';
import { parseApiKeys } from './parse-api-keys';
import { loadEnv } from './validate-env';

export const authConfig = registerAs('auth', () => {
  const env = loadEnv();
  return {
    apiKeys: parseApiKeys(env.API_KEYS ?? ''),
    debugEndpoints: env.DEBUG_ENDPOINTS,
    adminApiKey: env.ADMIN_API_KEY,
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;

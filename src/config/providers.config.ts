import { registerAs } from '@nestjs/config';
import { loadEnv } from './validate-env';

export const providersConfig = registerAs('providers', () => {
  const env = loadEnv();
  return {
    defaultProvider: env.DEFAULT_PROVIDER,
    openai: { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY },
    anthropic: { baseUrl: env.ANTHROPIC_BASE_URL, apiKey: env.ANTHROPIC_API_KEY },
    echo: { enabled: env.ECHO_PROVIDER },
    routing: {
      configFile: env.ROUTING_CONFIG_FILE,
      healthSyncMs: env.ROUTING_HEALTH_SYNC_MS,
      /** Where the routing file's `api_key_env` names are looked up. */
      environment: process.env,
    },
    upstream: {
      connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
      timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      idleTimeoutMs: env.UPSTREAM_IDLE_TIMEOUT_MS,
      maxConnections: env.UPSTREAM_MAX_CONNECTIONS,
    },
    sseKeepAliveMs: env.SSE_KEEPALIVE_MS,
  };
});
export type ProvidersConfig = ReturnType<typeof providersConfig>;

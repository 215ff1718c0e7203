import { registerAs } from '@nestjs/config';
import { loadEnv } from './validate-env';

export const metricsConfig = registerAs('metrics', () => {
  const env = loadEnv();
  return {
    /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
    token: env.METRICS_TOKEN,
  };
});
export type MetricsConfig = ReturnType<typeof metricsConfig>;

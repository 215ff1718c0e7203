import { registerAs } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema';
import { HostPort, parseHostPorts } from '../config/parse-host-ports';
import { loadEnv } from '../config/validate-env';

/** Settings every topology shares. */
interface RedisCommonConfig {
  /** ACL user and password for the data nodes (REDIS_USERNAME / REDIS_PASSWORD). */
  username: string | undefined;
  password: string | undefined;
  /** TLS to the data nodes (and, in sentinel mode, to the sentinels). */
  tls: boolean;
  keyPrefix: string;
  /** How long a command may go unanswered before it counts as a store failure. */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/** One Redis deployment, as REDIS_MODE and its variables describe it (validated at boot). */
export type RedisConnectionConfig = RedisCommonConfig &
  (
    | { mode: 'standalone'; url: string }
    | { mode: 'cluster'; nodes: HostPort[] }
    | {
        mode: 'sentinel';
        sentinels: HostPort[];
        name: string;
        sentinelPassword: string | undefined;
      }
  );

/** The connection settings of a validated environment (see validateEnv). */
export function toRedisConnectionConfig(env: EnvironmentVariables): RedisConnectionConfig {
  const common: RedisCommonConfig = {
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    tls: env.REDIS_TLS,
    keyPrefix: env.REDIS_KEY_PREFIX ?? '',
    commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
  };
  switch (env.REDIS_MODE) {
    case 'standalone':
      return { ...common, mode: 'standalone', url: env.REDIS_URL };
    case 'cluster':
      return { ...common, mode: 'cluster', nodes: parseHostPorts(env.REDIS_CLUSTER_NODES ?? '') };
    case 'sentinel':
      return {
        ...common,
        mode: 'sentinel',
        sentinels: parseHostPorts(env.REDIS_SENTINELS ?? ''),
        name: env.REDIS_SENTINEL_NAME ?? '',
        sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      };
    default: {
      const _never: never = env.REDIS_MODE;
      throw new Error(`Unknown REDIS_MODE: ${String(_never)}`);
    }
  }
}

/**
 * The `redis` config namespace: inject `redisConnectionConfig.KEY` to build another store on
 * the same Redis deployment with createRedisConnection().
 */
export const redisConnectionConfig = registerAs('redis', () => toRedisConnectionConfig(loadEnv()));

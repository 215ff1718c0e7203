import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import { CacheUnavailableError } from '../../cache/cache-unavailable.error';
import { withinCommandTimeout } from '../../redis/within-command-timeout';
import type { HealthPolicy } from '../config/routing-config';
import { FAILURE_MEMORY_MS } from './cooldown';
import { DeploymentHealth, HealthFailure, parseDeploymentHealth } from './deployment-health';
import { defineHealthScripts, HealthScriptedRedis } from './health-scripts';
import { HEALTH_KEY, HealthSnapshot, HealthStore } from './health-store.interface';

export interface RedisHealthStoreOptions {
  /** Jitter source in [0, 1), sent to the failure script; default Math.random. */
  random?: () => number;
  /** Bound of every command (REDIS_COMMAND_TIMEOUT_MS); default 250 ms. */
  commandTimeoutMs?: number;
}

/** Ids whose unreadable value was already reported (bounded: the hash is written from outside). */
const MAX_REPORTED = 1_000;

/**
 * HealthStore over a client the caller owns (standalone, Cluster or Sentinel; connection errors
 * are the owner's to log). One hash, atomic scripts, Redis `TIME` for every instant; failures
 * reject with CacheUnavailableError, whose message is safe to log.
 */
export class RedisHealthStore implements HealthStore {
  readonly kind = 'redis';
  private readonly logger = new Logger(RedisHealthStore.name);
  private readonly redis: HealthScriptedRedis;
  private readonly random: () => number;
  private readonly commandTimeoutMs: number;
  private readonly reported = new Set<string>();

  constructor(client: Redis | Cluster, options: RedisHealthStoreOptions = {}) {
    this.redis = defineHealthScripts(client);
    this.random = options.random ?? Math.random;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 250;
  }

  async snapshot(): Promise<HealthSnapshot> {
    const [seconds, micros, flat] = await this.run('snapshot', () =>
      this.redis.sentinelHealthSnapshot(HEALTH_KEY),
    );
    const entries = new Map<string, DeploymentHealth>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const health = parseDeploymentHealth(flat[i + 1]);
      if (health !== undefined) entries.set(flat[i], health);
      else this.reportUnreadable(flat[i]);
    }
    return { nowMs: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), entries };
  }

  async recordFailure(
    id: string,
    failure: HealthFailure,
    policy: HealthPolicy,
  ): Promise<DeploymentHealth> {
    const retryAfter = failure.retryAfterMs;
    const stored = await this.run('recordFailure', () =>
      this.redis.sentinelHealthFail(
        HEALTH_KEY,
        id,
        failure.cls,
        retryAfter !== undefined && Number.isFinite(retryAfter) ? String(retryAfter) : '',
        String(policy.consecutiveFailures),
        String(policy.cooldownInitialS),
        String(policy.cooldownMultiplier),
        String(policy.cooldownMaxS),
        String(policy.terminalCooldownS),
        String(this.random()),
        String(FAILURE_MEMORY_MS),
      ),
    );
    const health = parseDeploymentHealth(stored);
    if (health === undefined) throw new CacheUnavailableError('Health store returned no record');
    return health;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.run('recordSuccess', () => this.redis.hdel(HEALTH_KEY, id));
  }

  async acquireProbe(id: string, leaseMs: number): Promise<boolean> {
    const granted = await this.run('acquireProbe', () =>
      this.redis.sentinelHealthProbe(HEALTH_KEY, id, String(Math.max(1, Math.floor(leaseMs)))),
    );
    return granted === 1;
  }

  /** The client belongs to the caller: nothing to close. */
  async shutdown(): Promise<void> {}

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await withinCommandTimeout(command(), this.commandTimeoutMs);
    } catch (error) {
      throw new CacheUnavailableError(`Health store unavailable (${operation} failed)`, {
        cause: error,
      });
    }
  }

  /** Once per id, never the value (written by someone else, it could hold anything). */
  private reportUnreadable(id: string): void {
    if (this.reported.has(id) || this.reported.size >= MAX_REPORTED) return;
    this.reported.add(id);
    const shown = JSON.stringify(id.slice(0, 64));
    this.logger.warn(`Ignoring an unreadable health record for deployment ${shown}`);
  }
}

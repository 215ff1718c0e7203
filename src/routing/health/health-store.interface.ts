import { Inject } from '@nestjs/common';
import type { HealthPolicy } from '../config/routing-config';
import type { DeploymentHealth, HealthFailure } from './deployment-health';

/** The one key every health operation touches (a Redis hash: field = deployment id). */
export const HEALTH_KEY = 'sentinel:health:v1';

/** What the fleet knows about every deployment that is not plainly healthy, at one instant. */
export interface HealthSnapshot {
  /** The store's clock when the snapshot was taken (instances correct their skew with it). */
  nowMs: number;
  /** Deployment id → record; ids absent here are healthy. Unreadable values are left out. */
  entries: Map<string, DeploymentHealth>;
}

/**
 * Deployment health shared by every instance (in memory: by everything in this process). All
 * operations are atomic, touch only HEALTH_KEY and take time from the store's own clock, so
 * instances with skewed clocks agree on every deadline. A store that cannot be reached rejects
 * (promptly, bounded by its command timeout); callers route on their last snapshot meanwhile.
 */
export interface HealthStore {
  /** `memory` or `redis`: for logs and metrics only. */
  readonly kind: string;

  /** Every record plus the store's clock, in one round trip. */
  snapshot(): Promise<HealthSnapshot>;

  /**
   * Applies one failure to the deployment's record (read-modify-write, atomic) with the
   * cooldown arithmetic of `cooldown.ts`, and resolves with the record as stored.
   */
  recordFailure(
    id: string,
    failure: HealthFailure,
    policy: HealthPolicy,
  ): Promise<DeploymentHealth>;

  /** Forgets the deployment's record (closed). Callers skip it when their view shows none. */
  recordSuccess(id: string): Promise<void>;

  /**
   * Takes the probe lease of a deployment whose cooldown has ended: exactly one caller
   * fleet-wide wins per `leaseMs`. False while the cooldown runs or another caller holds the
   * lease; true with nothing written when the deployment has no open record.
   */
  acquireProbe(id: string, leaseMs: number): Promise<boolean>;

  /** Releases what the store opened (never a client it was given). Idempotent. */
  shutdown(): Promise<void>;
}

export const HEALTH_STORE = Symbol('HEALTH_STORE');

/** Injects the configured HealthStore (`@InjectHealthStore() health: HealthStore`). */
export const InjectHealthStore = (): PropertyDecorator & ParameterDecorator => Inject(HEALTH_STORE);

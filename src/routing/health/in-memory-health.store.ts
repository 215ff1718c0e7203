/* eslint-disable @typescript-eslint/require-await -- a synchronous store behind an async
   contract, so callers treat both stores alike. */
import type { HealthPolicy } from '../config/routing-config';
import { acquireProbeLease, recordFailure } from './cooldown';
import { DeploymentHealth, HealthFailure, parseDeploymentHealth } from './deployment-health';
import { HealthSnapshot, HealthStore } from './health-store.interface';

export interface InMemoryHealthStoreOptions {
  /** The store's clock in ms; default Date.now. */
  now?: () => number;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** The backing "hash" (id → JSON), the same values Redis holds; tests may share or seed it. */
  hash?: Map<string, string>;
}

/** HealthStore for one process: the same contract as the Redis store, without the network. */
export class InMemoryHealthStore implements HealthStore {
  readonly kind = 'memory';
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly hash: Map<string, string>;

  constructor(options: InMemoryHealthStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.hash = options.hash ?? new Map<string, string>();
  }

  async snapshot(): Promise<HealthSnapshot> {
    const entries = new Map<string, DeploymentHealth>();
    for (const [id, raw] of this.hash) {
      const health = parseDeploymentHealth(raw);
      if (health !== undefined) entries.set(id, health);
    }
    return { nowMs: this.now(), entries };
  }

  async recordFailure(
    id: string,
    failure: HealthFailure,
    policy: HealthPolicy,
  ): Promise<DeploymentHealth> {
    const next = recordFailure(this.read(id), failure, policy, this.now(), this.random);
    this.hash.set(id, JSON.stringify(next));
    return next;
  }

  async recordSuccess(id: string): Promise<void> {
    this.hash.delete(id);
  }

  async acquireProbe(id: string, leaseMs: number): Promise<boolean> {
    const current = this.read(id);
    const { granted, health } = acquireProbeLease(current, leaseMs, this.now());
    if (granted && health !== undefined && health !== current) {
      this.hash.set(id, JSON.stringify(health));
    }
    return granted;
  }

  async shutdown(): Promise<void> {}

  private read(id: string): DeploymentHealth | undefined {
    const raw = this.hash.get(id);
    return raw === undefined ? undefined : parseDeploymentHealth(raw);
  }
}

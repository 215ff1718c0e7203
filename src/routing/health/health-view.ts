import { Logger } from '@nestjs/common';
import { CacheUnavailableError } from '../../cache/cache-unavailable.error';
import type { HealthPolicy } from '../config/routing-config';
import { availability, recordFailure } from './cooldown';
import { Availability, DeploymentHealth, HealthFailure } from './deployment-health';
import { HealthStore } from './health-store.interface';

export interface HealthViewOptions {
  /** How often the fleet's health is read (`ROUTING_HEALTH_SYNC_MS`). */
  syncMs: number;
  /** How long a probe lease lasts when `tryProbe` is not told; default 30 s. */
  probeLeaseMs?: number;
  /** This process's clock; default Date.now. */
  now?: () => number;
  /** Jitter of locally applied observations; default Math.random. */
  random?: () => number;
  logger?: { warn(message: string): void; log(message: string): void };
}

/**
 * One instance's view of the fleet's deployment health: the last snapshot of the store (read
 * every `syncMs`) plus this instance's own observations, applied at once. `availability` is
 * synchronous and never touches the store; only failures, the first success after one, and
 * probes write, so a healthy fleet writes nothing. With the store unreachable, routing goes on
 * from the last snapshot and local observations (one warning per outage).
 * Times are on the store's clock, estimated from each snapshot, so skewed hosts agree.
 */
export class HealthView {
  /** The store's records as of the last snapshot (or a write's answer). */
  private shared = new Map<string, DeploymentHealth>();
  /** Observations of this instance the store has not confirmed (write in flight or failed). */
  private readonly local = new Map<string, DeploymentHealth>();
  private readonly writesInFlight = new Map<string, number>();
  private readonly deletesInFlight = new Set<string>();
  /** What availability reads: shared with local observations laid over it. */
  private merged = new Map<string, DeploymentHealth>();
  /** Store clock minus local clock. */
  private offsetMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private outage = false;
  private readonly syncMs: number;
  private readonly probeLeaseMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly logger: NonNullable<HealthViewOptions['logger']>;

  constructor(
    private readonly store: HealthStore,
    options: HealthViewOptions,
  ) {
    if (!(options.syncMs >= 1)) throw new RangeError('syncMs must be ≥ 1');
    this.syncMs = options.syncMs;
    this.probeLeaseMs = options.probeLeaseMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? new Logger(HealthView.name);
  }

  /** Reads the first snapshot (a failure is logged, not thrown), then every `syncMs`. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.refresh(), this.syncMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the store once now (the timer calls it); never rejects. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readSnapshot().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** The store's clock, as estimated at the last snapshot. */
  nowMs(): number {
    return this.now() + this.offsetMs;
  }

  /** closed / open / half-open, from memory only. */
  availability(id: string): Availability {
    return availability(this.merged.get(id), this.nowMs());
  }

  /** Every deployment that is not plainly healthy (for the admin view). */
  entries(): ReadonlyMap<string, DeploymentHealth> {
    return this.merged;
  }

  /**
   * Applies a failure to this view at once and writes it through to the store in the
   * background. Resolves nothing: the returned record is the local estimate.
   */
  noteFailure(id: string, failure: HealthFailure, policy: HealthPolicy): DeploymentHealth {
    const next = recordFailure(this.merged.get(id), failure, policy, this.nowMs(), this.random);
    this.local.set(id, next);
    this.merged.set(id, next);
    this.writesInFlight.set(id, (this.writesInFlight.get(id) ?? 0) + 1);
    this.store
      .recordFailure(id, failure, policy)
      .then(
        (stored) => {
          this.shared.set(id, stored);
          if (this.local.get(id) === next) this.local.delete(id);
          this.merged.set(id, combine(stored, this.local.get(id)));
        },
        (error: unknown) => this.reportOutage('record a failure', error),
      )
      .finally(() => {
        const left = (this.writesInFlight.get(id) ?? 1) - 1;
        if (left > 0) this.writesInFlight.set(id, left);
        else this.writesInFlight.delete(id);
      });
    return next;
  }

  /** Closes the deployment fleet-wide, writing only when this view shows a record for it. */
  noteSuccess(id: string): void {
    if (!this.merged.has(id)) return;
    this.merged.delete(id);
    this.local.delete(id);
    this.shared.delete(id);
    this.deletesInFlight.add(id);
    this.store
      .recordSuccess(id)
      .catch((error: unknown) => this.reportOutage('record a success', error))
      .finally(() => this.deletesInFlight.delete(id));
  }

  /**
   * Whether this request may go to the deployment: always when closed, never while open; when
   * half-open, only for the one caller fleet-wide holding the probe lease. With the store
   * unreachable, one probe per lease from this instance.
   */
  async tryProbe(id: string, leaseMs: number = this.probeLeaseMs): Promise<boolean> {
    const seen = this.availability(id);
    if (seen.state === 'closed') return true;
    if (seen.state === 'open' || seen.probeRemainingMs !== undefined) return false;
    let granted: boolean;
    try {
      granted = await this.store.acquireProbe(id, leaseMs);
    } catch (error) {
      this.reportOutage('take a probe lease', error);
      granted = this.availability(id).state === 'half_open' && !this.leaseKnown(id);
    }
    // Until the next snapshot, this instance treats the lease as held (by itself or another).
    const current = this.merged.get(id);
    if (current !== undefined) {
      this.merged.set(id, { ...current, probeUntilMs: this.nowMs() + leaseMs });
    }
    return granted;
  }

  private leaseKnown(id: string): boolean {
    const probe = this.merged.get(id)?.probeUntilMs;
    return probe !== undefined && probe > this.nowMs();
  }

  private async readSnapshot(): Promise<void> {
    const sentAt = this.now();
    let snapshot;
    try {
      snapshot = await this.store.snapshot();
    } catch (error) {
      this.reportOutage('read the fleet health', error);
      return;
    }
    this.offsetMs = snapshot.nowMs - (sentAt + this.now()) / 2;
    if (this.outage) {
      this.outage = false;
      this.logger.log('Health store reachable again; routing on the fleet health');
    }
    const nowMs = this.nowMs();
    this.shared = snapshot.entries;
    for (const id of this.deletesInFlight) this.shared.delete(id);
    for (const [id, health] of this.local) {
      // Kept while a write is in flight, or while it still opens a cooldown the store missed.
      if (!this.writesInFlight.has(id) && !(health.untilMs > nowMs)) this.local.delete(id);
    }
    const merged = new Map(this.shared);
    for (const [id, health] of this.local) merged.set(id, combine(merged.get(id), health));
    this.merged = merged;
  }

  private reportOutage(what: string, error: unknown): void {
    if (this.outage) return;
    this.outage = true;
    const reason = error instanceof CacheUnavailableError ? error.message : 'store error';
    this.logger.warn(
      `Cannot ${what} (${reason}); routing on the last health snapshot and local observations`,
    );
  }
}

/** The later deadline wins; counts take the larger of the two. */
function combine(
  a: DeploymentHealth | undefined,
  b: DeploymentHealth | undefined,
): DeploymentHealth {
  if (a === undefined) return b as DeploymentHealth;
  if (b === undefined) return a;
  const later = b.untilMs > a.untilMs ? b : a;
  const result: DeploymentHealth = {
    consecutive: Math.max(a.consecutive, b.consecutive),
    opens: Math.max(a.opens, b.opens),
    untilMs: later.untilMs,
    lastFailureMs: Math.max(a.lastFailureMs, b.lastFailureMs),
  };
  if (later.reason !== undefined) result.reason = later.reason;
  const probe = Math.max(a.probeUntilMs ?? 0, b.probeUntilMs ?? 0);
  if (probe > 0) result.probeUntilMs = probe;
  return result;
}

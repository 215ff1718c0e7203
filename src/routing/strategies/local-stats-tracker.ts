import { LocalStats } from './candidate';

interface Stat {
  inFlight: number;
  /** NaN until the first measurement. */
  latencyMs: number;
}

/**
 * This instance's in-flight counts and smoothed latencies per deployment (for the `latency` and
 * `least_busy` strategies). Call `start(id)` when an attempt begins and `end(id, latencyMs)`
 * exactly once when it ends; pass the latency only for attempts that measured one (the time to
 * the first byte is the useful one), so failures do not count as fast answers.
 */
export class LocalStatsTracker implements LocalStats {
  private readonly stats = new Map<string, Stat>();

  /** `alpha`: weight of the newest sample in the exponentially weighted moving average. */
  constructor(private readonly alpha = 0.3) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError('alpha must be in (0, 1]');
  }

  start(id: string): void {
    this.stat(id).inFlight++;
  }

  end(id: string, latencyMs?: number): void {
    const stat = this.stat(id);
    if (stat.inFlight > 0) stat.inFlight--;
    if (latencyMs === undefined || !Number.isFinite(latencyMs) || latencyMs < 0) return;
    stat.latencyMs = Number.isNaN(stat.latencyMs)
      ? latencyMs
      : this.alpha * latencyMs + (1 - this.alpha) * stat.latencyMs;
  }

  latencyMs(id: string): number | undefined {
    const latency = this.stats.get(id)?.latencyMs;
    return latency === undefined || Number.isNaN(latency) ? undefined : latency;
  }

  inFlight(id: string): number {
    return this.stats.get(id)?.inFlight ?? 0;
  }

  /** Drops what is known about deployments no longer configured. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.stats.keys()) if (!ids.has(id)) this.stats.delete(id);
  }

  private stat(id: string): Stat {
    let stat = this.stats.get(id);
    if (stat === undefined) {
      stat = { inFlight: 0, latencyMs: Number.NaN };
      this.stats.set(id, stat);
    }
    return stat;
  }
}

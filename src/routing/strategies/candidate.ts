/** A deployment a strategy may pick: already healthy and not yet tried in this request. */
export interface Candidate {
  id: string;
  /** ≥ 0; 0 = picked only when no positive-weight candidate is left. */
  weight: number;
  /** Lower first (`priority` strategy). */
  priority: number;
  /** Missing = 1 (`cost` strategy). */
  relativeCost?: number;
}

/** This instance's own view of each deployment's speed and load (never shared: no I/O). */
export interface LocalStats {
  /** Smoothed latency in ms, undefined while nothing was measured. */
  latencyMs(id: string): number | undefined;
  /** Requests this instance has in flight on the deployment. */
  inFlight(id: string): number;
}

import { StrategyName } from '../config/routing-config';
import { Candidate, LocalStats } from './candidate';

/** Share of `latency` picks that go to a weighted pick over all, so slow entries are re-measured. */
export const LATENCY_EXPLORATION = 0.05;

/** The key a strategy minimises; `fill` stands in for an unknown latency. */
type KeyOf = (candidate: Candidate, stats: LocalStats, fill: number) => number;

const NONE: KeyOf = () => 0;
const PRIORITY: KeyOf = (c) => c.priority;
const COST: KeyOf = (c) => c.relativeCost ?? 1;
const IN_FLIGHT: KeyOf = (c, stats) => stats.inFlight(c.id);
const LATENCY: KeyOf = (c, stats, fill) => stats.latencyMs(c.id) ?? fill;

/** Reused across calls: the latency median needs somewhere to sort. */
const scratch: number[] = [];

/**
 * Chooses one of `candidates` (already filtered to healthy, not-yet-tried deployments).
 * One rule for every strategy: weight-0 candidates are considered only when no candidate has a
 * positive weight, and then uniformly. Ties on the strategy's key are broken by weight.
 * - `weighted`: random in proportion to the (float) weights.
 * - `priority`: the lowest priority level present, weighted inside it.
 * - `cost`: the lowest relative cost (missing = 1), ties weighted.
 * - `latency`: the lowest local smoothed latency; an unmeasured candidate counts as the median
 *   of the measured ones (all unmeasured: weighted), and LATENCY_EXPLORATION of the picks are
 *   weighted over all so no candidate's measurement goes stale for ever.
 * - `least_busy`: the fewest requests in flight from this instance, ties weighted.
 * Allocates nothing per call (two or three passes over the array).
 */
export function pickDeployment(
  strategy: StrategyName,
  candidates: readonly Candidate[],
  stats: LocalStats,
  random: () => number,
): Candidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const positive = hasPositiveWeight(candidates);
  switch (strategy) {
    case 'weighted':
      return pickWeighted(candidates, positive, NONE, 0, stats, 0, random);
    case 'priority':
      return pickLowest(candidates, positive, PRIORITY, stats, 0, random);
    case 'cost':
      return pickLowest(candidates, positive, COST, stats, 0, random);
    case 'least_busy':
      return pickLowest(candidates, positive, IN_FLIGHT, stats, 0, random);
    case 'latency': {
      if (random() < LATENCY_EXPLORATION) {
        return pickWeighted(candidates, positive, NONE, 0, stats, 0, random);
      }
      const fill = medianLatency(candidates, positive, stats);
      return pickLowest(candidates, positive, LATENCY, stats, fill, random);
    }
    default: {
      const unknown: never = strategy;
      throw new Error(`unknown strategy ${String(unknown)}`);
    }
  }
}

function hasPositiveWeight(candidates: readonly Candidate[]): boolean {
  for (const c of candidates) if (c.weight > 0) return true;
  return false;
}

function pickLowest(
  candidates: readonly Candidate[],
  positive: boolean,
  keyOf: KeyOf,
  stats: LocalStats,
  fill: number,
  random: () => number,
): Candidate | undefined {
  let lowest = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (positive && !(c.weight > 0)) continue;
    const key = keyOf(c, stats, fill);
    if (key < lowest) lowest = key;
  }
  return pickWeighted(candidates, positive, keyOf, lowest, stats, fill, random);
}

/** Weighted random among the eligible candidates whose key equals `key`. */
function pickWeighted(
  candidates: readonly Candidate[],
  positive: boolean,
  keyOf: KeyOf,
  key: number,
  stats: LocalStats,
  fill: number,
  random: () => number,
): Candidate | undefined {
  let total = 0;
  let last: Candidate | undefined;
  for (const c of candidates) {
    if (positive && !(c.weight > 0)) continue;
    if (keyOf(c, stats, fill) !== key) continue;
    total += positive ? c.weight : 1;
    last = c;
  }
  let r = random() * total;
  for (const c of candidates) {
    if (positive && !(c.weight > 0)) continue;
    if (keyOf(c, stats, fill) !== key) continue;
    r -= positive ? c.weight : 1;
    if (r < 0) return c;
  }
  return last; // only reached through float rounding at the very top of the range
}

/** Median of the measured latencies of the eligible candidates; 0 when none is measured. */
function medianLatency(
  candidates: readonly Candidate[],
  positive: boolean,
  stats: LocalStats,
): number {
  scratch.length = 0;
  for (const c of candidates) {
    if (positive && !(c.weight > 0)) continue;
    const latency = stats.latencyMs(c.id);
    if (latency !== undefined) scratch.push(latency);
  }
  if (scratch.length === 0) return 0;
  scratch.sort(ascending);
  const mid = scratch.length >> 1;
  return scratch.length % 2 === 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
}

function ascending(a: number, b: number): number {
  return a - b;
}

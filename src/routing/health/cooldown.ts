import type { HealthPolicy } from '../config/routing-config';
import type { Availability, DeploymentHealth, HealthFailure } from './deployment-health';

/**
 * A closed record (never opened, or not since its cooldown was cleared) whose last failure is
 * older than this is forgotten: a few failures spread over hours do not add up to a cooldown.
 * The Redis script applies the same rule (`health-scripts.ts`).
 */
export const FAILURE_MEMORY_MS = 600_000;
/** Shortest cooldown a Retry-After opens (unless `cooldownMaxS` is shorter still). */
const MIN_RETRY_AFTER_MS = 1_000;

const CLOSED: Availability = Object.freeze({ state: 'closed' });
const HALF_OPEN: Availability = Object.freeze({ state: 'half_open' });

/**
 * The record after one more failure at `nowMs` (the store's clock). The Redis store runs the
 * same arithmetic in Lua; one contract suite keeps the two in step.
 * - `consecutiveFailures` failures open the cooldown for
 *   `min(initial × multiplier^(opens−1), max)` s × U(0.8, 1.2), `opens` counting openings since
 *   the last success;
 * - a 429 with Retry-After opens at once for exactly that (clamped 1 s..max, no jitter); a 429
 *   without it counts as one failure;
 * - a terminal failure (401/403/404) opens at once for `terminalCooldownS`;
 * - while open, a failure only ever extends the deadline (max of old and new);
 * - after the deadline (half-open: the failure is the probe's) it re-opens with opens + 1;
 * - `cooldownInitialS: 0` never opens anything (the failure is still counted).
 */
export function recordFailure(
  health: DeploymentHealth | undefined,
  failure: HealthFailure,
  policy: HealthPolicy,
  nowMs: number,
  random: () => number,
): DeploymentHealth {
  const base = health !== undefined && !isForgotten(health, nowMs) ? health : undefined;
  const consecutive = (base?.consecutive ?? 0) + 1;
  const opens = base?.opens ?? 0;
  const untilMs = base?.untilMs ?? 0;
  const open = untilMs > nowMs;
  const next: DeploymentHealth = { consecutive, opens, untilMs, lastFailureMs: nowMs };
  if (base?.reason !== undefined) next.reason = base.reason;
  if (base?.probeUntilMs !== undefined) next.probeUntilMs = base.probeUntilMs;

  const halfOpen = untilMs > 0 && !open;
  const deadline = openingDeadline(failure, policy, {
    trips: halfOpen || consecutive >= policy.consecutiveFailures,
    level: open ? Math.max(opens, 1) : opens + 1,
    nowMs,
    random,
  });
  if (deadline === undefined) return next;
  if (open) {
    if (deadline > untilMs) {
      next.untilMs = deadline;
      next.reason = failure.cls;
    }
    return next;
  }
  delete next.probeUntilMs;
  next.opens = opens + 1;
  next.untilMs = deadline;
  next.reason = failure.cls;
  return next;
}

/** After a success the deployment is closed and its history forgotten (the record deleted). */
export function recordSuccess(_health: DeploymentHealth | undefined): undefined {
  return undefined;
}

/** closed / open (remaining, why) / half-open (a probe may go), at `nowMs` on the store's clock. */
export function availability(health: DeploymentHealth | undefined, nowMs: number): Availability {
  if (health === undefined || health.untilMs <= 0) return CLOSED;
  if (nowMs < health.untilMs) {
    return {
      state: 'open',
      remainingMs: health.untilMs - nowMs,
      reason: health.reason ?? 'server',
    };
  }
  const probe = health.probeUntilMs;
  return probe !== undefined && probe > nowMs
    ? { state: 'half_open', probeRemainingMs: probe - nowMs }
    : HALF_OPEN;
}

/**
 * The probe lease rule: a closed deployment needs no probe (granted, nothing written); an open
 * one none yet; a half-open one grants one lease at a time, recorded in `probeUntilMs`.
 */
export function acquireProbeLease(
  health: DeploymentHealth | undefined,
  leaseMs: number,
  nowMs: number,
): { granted: boolean; health: DeploymentHealth | undefined } {
  if (health === undefined || health.untilMs <= 0) return { granted: true, health };
  if (nowMs < health.untilMs) return { granted: false, health };
  if (health.probeUntilMs !== undefined && nowMs < health.probeUntilMs) {
    return { granted: false, health };
  }
  return { granted: true, health: { ...health, probeUntilMs: nowMs + leaseMs } };
}

/** Backoff length of opening number `level` (1 = first), before jitter is applied. */
export function backoffSeconds(policy: HealthPolicy, level: number): number {
  return Math.min(
    policy.cooldownInitialS * policy.cooldownMultiplier ** (level - 1),
    policy.cooldownMaxS,
  );
}

function isForgotten(health: DeploymentHealth, nowMs: number): boolean {
  return health.untilMs <= 0 && nowMs - health.lastFailureMs > FAILURE_MEMORY_MS;
}

function openingDeadline(
  failure: HealthFailure,
  policy: HealthPolicy,
  at: { trips: boolean; level: number; nowMs: number; random: () => number },
): number | undefined {
  if (!(policy.cooldownInitialS > 0)) return undefined;
  const maxMs = policy.cooldownMaxS * 1000;
  if (failure.cls === 'terminal') return at.nowMs + Math.floor(policy.terminalCooldownS * 1000);
  const retryAfter = failure.retryAfterMs;
  if (failure.cls === 'rate_limit' && retryAfter !== undefined && Number.isFinite(retryAfter)) {
    const clamped = Math.min(Math.max(retryAfter, Math.min(MIN_RETRY_AFTER_MS, maxMs)), maxMs);
    return at.nowMs + Math.floor(clamped);
  }
  if (!at.trips) return undefined;
  return at.nowMs + Math.floor(backoffSeconds(policy, at.level) * 1000 * (0.8 + 0.4 * at.random()));
}

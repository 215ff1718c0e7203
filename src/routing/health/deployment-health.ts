import type { FailureClass } from '../../providers/provider-error';

/** Failure classes that count against a deployment's health (client errors never do). */
export const HEALTH_FAILURE_CLASSES = ['rate_limit', 'server', 'timeout', 'terminal'] as const;
export type HealthFailureClass = (typeof HEALTH_FAILURE_CLASSES)[number];

/** One failed attempt, as health sees it. */
export interface HealthFailure {
  cls: HealthFailureClass;
  /** The upstream's Retry-After in ms (429 only); opens the cooldown at once for that long. */
  retryAfterMs?: number;
}

/**
 * The health of one deployment, shared as-is by every instance (the JSON value of its field in
 * the `sentinel:health:v1` hash). Times are on the store's clock. An absent record = healthy.
 */
export interface DeploymentHealth {
  /** Failures since the last success. */
  consecutive: number;
  /** Cooldowns opened since the last success (drives the backoff). */
  opens: number;
  /** End of the current or last cooldown; 0 = never opened (closed). */
  untilMs: number;
  /** Why the cooldown opened (the class of the failure that set `untilMs`). */
  reason?: HealthFailureClass;
  /** A probe lease is held until then (after the cooldown ended). */
  probeUntilMs?: number;
  lastFailureMs: number;
}

export type Availability =
  | { state: 'closed' }
  | { state: 'open'; remainingMs: number; reason: HealthFailureClass }
  /** Cooldown over: one probe may go. `probeRemainingMs` while someone holds the lease. */
  | { state: 'half_open'; probeRemainingMs?: number };

/** The health view of a classified provider failure; undefined for classes with no effect. */
export function toHealthFailure(error: {
  cls: FailureClass;
  retryAfterMs?: number;
}): HealthFailure | undefined {
  if (!(HEALTH_FAILURE_CLASSES as readonly string[]).includes(error.cls)) return undefined;
  const cls = error.cls as HealthFailureClass;
  return error.retryAfterMs === undefined ? { cls } : { cls, retryAfterMs: error.retryAfterMs };
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Reads a stored value; anything that is not a well-formed record (another version, a hand
 * edit, garbage) yields undefined so callers treat the deployment as having no record.
 * Unknown extra fields are ignored.
 */
export function parseDeploymentHealth(raw: string): DeploymentHealth | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const { consecutive, opens, untilMs, lastFailureMs, reason, probeUntilMs } = doc as Record<
    string,
    unknown
  >;
  if (!isCount(consecutive) || !isCount(opens) || !isCount(untilMs) || !isCount(lastFailureMs)) {
    return undefined;
  }
  const health: DeploymentHealth = { consecutive, opens, untilMs, lastFailureMs };
  if (
    typeof reason === 'string' &&
    (HEALTH_FAILURE_CLASSES as readonly string[]).includes(reason)
  ) {
    health.reason = reason as HealthFailureClass;
  }
  if (isCount(probeUntilMs)) health.probeUntilMs = probeUntilMs;
  return health;
}

import { ConfigReader, child } from './config-reader';
import {
  AttemptPolicy,
  HealthPolicy,
  RoutingDefaults,
  STRATEGIES,
  StickinessPolicy,
  StrategyName,
} from './routing-config';

const MAX_SECONDS = 86_400;

/**
 * Reads `strategy`, `attempts`, `health` and `stickiness` of `doc` (the `defaults` section or
 * one group) and merges them key by key over `base`. Bad keys are recorded and `base` kept.
 */
export function readPolicies(
  reader: ConfigReader,
  doc: Record<string, unknown>,
  at: string,
  base: RoutingDefaults,
): RoutingDefaults {
  const strategy: StrategyName =
    doc.strategy === undefined
      ? base.strategy
      : (reader.oneOf(doc.strategy, child(at, 'strategy'), STRATEGIES) ?? base.strategy);
  return {
    strategy,
    attempts: readAttempts(reader, doc.attempts, child(at, 'attempts'), base.attempts),
    health: readHealth(reader, doc.health, child(at, 'health'), base.health),
    stickiness: readStickiness(reader, doc.stickiness, child(at, 'stickiness'), base.stickiness),
  };
}

function readAttempts(
  reader: ConfigReader,
  value: unknown,
  at: string,
  base: AttemptPolicy,
): AttemptPolicy {
  if (value === undefined) return base;
  const doc = reader.mapping(value, at, ['max', 'deadline_ms']);
  if (doc === undefined) return base;
  const pick = field(reader, doc, at);
  return {
    max: pick('max', base.max, { integer: true, min: 1, max: 10 }, 'an integer 1..10'),
    deadlineMs: pick(
      'deadline_ms',
      base.deadlineMs,
      { integer: true, min: 100, max: 3_600_000 },
      'an integer 100..3600000',
    ),
  };
}

function readHealth(
  reader: ConfigReader,
  value: unknown,
  at: string,
  base: HealthPolicy,
): HealthPolicy {
  if (value === undefined) return base;
  const doc = reader.mapping(value, at, [
    'consecutive_failures',
    'cooldown_initial_s',
    'cooldown_multiplier',
    'cooldown_max_s',
    'terminal_cooldown_s',
  ]);
  if (doc === undefined) return base;
  const pick = field(reader, doc, at);
  const seconds = { minExclusive: 0, max: MAX_SECONDS };
  return {
    consecutiveFailures: pick(
      'consecutive_failures',
      base.consecutiveFailures,
      { integer: true, min: 1, max: 1_000 },
      'an integer 1..1000',
    ),
    cooldownInitialS: pick(
      'cooldown_initial_s',
      base.cooldownInitialS,
      { min: 0, max: MAX_SECONDS },
      `a number of seconds 0..${MAX_SECONDS} (0 disables cooldowns)`,
    ),
    cooldownMultiplier: pick(
      'cooldown_multiplier',
      base.cooldownMultiplier,
      { min: 1, max: 100 },
      'a number 1..100',
    ),
    cooldownMaxS: pick(
      'cooldown_max_s',
      base.cooldownMaxS,
      seconds,
      `a number of seconds > 0 and ≤ ${MAX_SECONDS}`,
    ),
    terminalCooldownS: pick(
      'terminal_cooldown_s',
      base.terminalCooldownS,
      seconds,
      `a number of seconds > 0 and ≤ ${MAX_SECONDS}`,
    ),
  };
}

function readStickiness(
  reader: ConfigReader,
  value: unknown,
  at: string,
  base: StickinessPolicy,
): StickinessPolicy {
  if (value === undefined) return base;
  const doc = reader.mapping(value, at, ['on_unhealthy', 'max_wait_ms']);
  if (doc === undefined) return base;
  const onUnhealthy =
    doc.on_unhealthy === undefined
      ? base.onUnhealthy
      : (reader.oneOf(doc.on_unhealthy, child(at, 'on_unhealthy'), [
          'migrate',
          'strict',
        ] as const) ?? base.onUnhealthy);
  const maxWaitMs = field(reader, doc, at)(
    'max_wait_ms',
    base.maxWaitMs,
    { integer: true, min: 0, max: 60_000 },
    'an integer 0..60000',
  );
  return { onUnhealthy, maxWaitMs };
}

type Bounds = Parameters<ConfigReader['number']>[2];

function field(reader: ConfigReader, doc: Record<string, unknown>, at: string) {
  return (key: string, fallback: number, bounds: Bounds, describe: string): number =>
    doc[key] === undefined
      ? fallback
      : (reader.number(doc[key], child(at, key), bounds, describe) ?? fallback);
}

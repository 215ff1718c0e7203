import { HealthPolicy } from '../config/routing-config';
import {
  acquireProbeLease,
  availability,
  FAILURE_MEMORY_MS,
  recordFailure,
  recordSuccess,
} from './cooldown';
import { DeploymentHealth, HealthFailure, toHealthFailure } from './deployment-health';

const POLICY: HealthPolicy = {
  consecutiveFailures: 3,
  cooldownInitialS: 10,
  cooldownMultiplier: 2,
  cooldownMaxS: 300,
  terminalCooldownS: 300,
};
/** U(0.8, 1.2) at 0.5 is exactly 1: no jitter. */
const NO_JITTER = (): number => 0.5;
const T0 = 1_700_000_000_000;
const server: HealthFailure = { cls: 'server' };

function fail(
  times: number,
  start: DeploymentHealth | undefined = undefined,
  failure: HealthFailure = server,
  at = T0,
  policy = POLICY,
): DeploymentHealth | undefined {
  let health = start;
  for (let i = 0; i < times; i++) health = recordFailure(health, failure, policy, at, NO_JITTER);
  return health;
}

describe('cooldown arithmetic', () => {
  it('counts failures below the threshold without opening', () => {
    const health = fail(2);
    expect(health).toEqual({ consecutive: 2, opens: 0, untilMs: 0, lastFailureMs: T0 });
    expect(availability(health, T0)).toEqual({ state: 'closed' });
  });

  it('the third consecutive failure opens the cooldown for cooldown_initial_s', () => {
    const health = fail(3);
    expect(health).toEqual({
      consecutive: 3,
      opens: 1,
      untilMs: T0 + 10_000,
      reason: 'server',
      lastFailureMs: T0,
    });
    expect(availability(health, T0 + 4_000)).toEqual({
      state: 'open',
      remainingMs: 6_000,
      reason: 'server',
    });
  });

  it('jitters the backoff by ±20 %', () => {
    const low = recordFailure(fail(2), server, POLICY, T0, () => 0);
    const high = recordFailure(fail(2), server, POLICY, T0, () => 0.999_999);
    expect(low.untilMs - T0).toBe(8_000);
    expect(high.untilMs - T0).toBe(11_999);
  });

  it('a failed probe re-opens with opens + 1, doubling up to cooldown_max_s', () => {
    let health = fail(3);
    const durations: number[] = [];
    for (let i = 0; i < 7; i++) {
      const now: number = health!.untilMs + 1;
      expect(availability(health, now)).toEqual({ state: 'half_open' });
      health = recordFailure(health, server, POLICY, now, NO_JITTER);
      durations.push(health.untilMs - now);
    }
    expect(durations).toEqual([20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    expect(health?.opens).toBe(8);
  });

  it('a second failure while open only extends the deadline, never shortens it (#3)', () => {
    const opened = recordFailure(fail(2), server, POLICY, T0, () => 0.999); // ≈ 12 s
    const shorter = recordFailure(opened, server, POLICY, T0 + 1_000, () => 0); // 1 + 8 s
    expect(shorter.untilMs).toBe(opened.untilMs);
    expect(shorter.opens).toBe(1);
    const longer = recordFailure(shorter, { cls: 'terminal' }, POLICY, T0 + 2_000, NO_JITTER);
    expect(longer).toMatchObject({ untilMs: T0 + 302_000, reason: 'terminal', opens: 1 });
    const rateLimited = recordFailure(
      longer,
      { cls: 'rate_limit', retryAfterMs: 5_000 },
      POLICY,
      T0 + 3_000,
      NO_JITTER,
    );
    expect(rateLimited).toMatchObject({ untilMs: T0 + 302_000, reason: 'terminal' });
  });

  it('a 429 with Retry-After opens at once for exactly that long, without jitter (#11)', () => {
    const health = recordFailure(
      undefined,
      { cls: 'rate_limit', retryAfterMs: 7_250 },
      POLICY,
      T0,
      () => 0,
    );
    expect(health).toEqual({
      consecutive: 1,
      opens: 1,
      untilMs: T0 + 7_250,
      reason: 'rate_limit',
      lastFailureMs: T0,
    });
  });

  it.each([
    [0, 1_000],
    [-5, 1_000],
    [250, 1_000],
    [3_600_000, 300_000],
  ])('a Retry-After of %p ms is clamped to %p ms (1 s..cooldown_max_s)', (given, expected) => {
    const health = recordFailure(
      undefined,
      { cls: 'rate_limit', retryAfterMs: given },
      POLICY,
      T0,
      NO_JITTER,
    );
    expect(health.untilMs - T0).toBe(expected);
  });

  it('a 429 without Retry-After counts as one ordinary failure', () => {
    const rateLimit: HealthFailure = { cls: 'rate_limit' };
    expect(fail(2, undefined, rateLimit)?.untilMs).toBe(0);
    expect(fail(3, undefined, rateLimit)).toMatchObject({
      untilMs: T0 + 10_000,
      reason: 'rate_limit',
    });
  });

  it('a terminal failure (401/403/404) opens at once for terminal_cooldown_s, no jitter', () => {
    const health = recordFailure(undefined, { cls: 'terminal' }, POLICY, T0, () => 0);
    expect(health).toMatchObject({ opens: 1, untilMs: T0 + 300_000, reason: 'terminal' });
  });

  it('timeouts count like server errors', () => {
    expect(fail(3, undefined, { cls: 'timeout' })).toMatchObject({ reason: 'timeout', opens: 1 });
  });

  it('cooldown_initial_s: 0 never opens, whatever the failure (#7)', () => {
    const disabled = { ...POLICY, cooldownInitialS: 0 };
    let health: DeploymentHealth | undefined;
    for (const failure of [
      server,
      { cls: 'terminal' } as const,
      { cls: 'rate_limit', retryAfterMs: 30_000 } as const,
      server,
      server,
    ]) {
      health = recordFailure(health, failure, disabled, T0, NO_JITTER);
    }
    expect(health).toMatchObject({ consecutive: 5, opens: 0, untilMs: 0 });
    expect(availability(health, T0)).toEqual({ state: 'closed' });
  });

  it('a one-deployment group recovers by itself: half-open, one probe, success closes (#6)', () => {
    const opened = fail(3)!;
    const after = opened.untilMs;
    const first = acquireProbeLease(opened, 30_000, after);
    expect(first.granted).toBe(true);
    expect(availability(first.health, after + 10)).toEqual({
      state: 'half_open',
      probeRemainingMs: 29_990,
    });
    expect(acquireProbeLease(first.health, 30_000, after + 10).granted).toBe(false);
    expect(acquireProbeLease(first.health, 30_000, after + 30_000).granted).toBe(true);
    expect(availability(recordSuccess(first.health), after)).toEqual({ state: 'closed' });
  });

  it('a deployment parked by Retry-After gets no probe before its deadline (#26)', () => {
    const parked = recordFailure(
      undefined,
      { cls: 'rate_limit', retryAfterMs: 20_000 },
      POLICY,
      T0,
      NO_JITTER,
    );
    expect(acquireProbeLease(parked, 30_000, T0 + 19_999).granted).toBe(false);
    expect(availability(parked, T0 + 19_999)).toMatchObject({ state: 'open', remainingMs: 1 });
    expect(acquireProbeLease(parked, 30_000, T0 + 20_000).granted).toBe(true);
  });

  it('a closed deployment needs no probe: the lease is granted and nothing is recorded', () => {
    expect(acquireProbeLease(undefined, 1_000, T0)).toEqual({ granted: true, health: undefined });
    const counted = fail(1);
    expect(acquireProbeLease(counted, 1_000, T0)).toEqual({ granted: true, health: counted });
  });

  it('a probe failure clears the lease along with re-opening', () => {
    const opened = fail(3)!;
    const leased = acquireProbeLease(opened, 30_000, opened.untilMs).health;
    const reopened = recordFailure(leased, server, POLICY, opened.untilMs + 5, NO_JITTER);
    expect(reopened.probeUntilMs).toBeUndefined();
    expect(reopened).toMatchObject({ opens: 2, untilMs: opened.untilMs + 5 + 20_000 });
  });

  it('client errors never touch health: no health failure for client or context_window (#28)', () => {
    expect(toHealthFailure({ cls: 'client' })).toBeUndefined();
    expect(toHealthFailure({ cls: 'context_window' })).toBeUndefined();
    expect(toHealthFailure({ cls: 'rate_limit', retryAfterMs: 2_000 })).toEqual({
      cls: 'rate_limit',
      retryAfterMs: 2_000,
    });
    expect(toHealthFailure({ cls: 'terminal' })).toEqual({ cls: 'terminal' });
  });

  it('failures of a closed deployment spread beyond the memory window start over', () => {
    const old = fail(2, undefined, server, T0);
    const later = recordFailure(old, server, POLICY, T0 + FAILURE_MEMORY_MS + 1, NO_JITTER);
    expect(later).toMatchObject({ consecutive: 1, untilMs: 0 });
    const recent = recordFailure(old, server, POLICY, T0 + FAILURE_MEMORY_MS, NO_JITTER);
    expect(recent).toMatchObject({ consecutive: 3, opens: 1 });
  });

  it('a half-open deployment stays half-open however long nobody probes it', () => {
    const opened = fail(3)!;
    const muchLater = opened.untilMs + 10 * FAILURE_MEMORY_MS;
    expect(availability(opened, muchLater)).toEqual({ state: 'half_open' });
    expect(recordFailure(opened, server, POLICY, muchLater, NO_JITTER).opens).toBe(2);
  });
});

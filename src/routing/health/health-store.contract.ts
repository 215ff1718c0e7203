import type { HealthPolicy } from '../config/routing-config';
import { seededRandom } from '../strategies/seeded-random';
import { recordFailure } from './cooldown';
import { DeploymentHealth, HealthFailure } from './deployment-health';
import { HealthStore } from './health-store.interface';

/** What a store under test provides to the shared contract suite. */
export interface HealthStoreFixture {
  store: HealthStore;
  /** Writes a raw field value, as another (older, broken) writer might. */
  writeRaw(id: string, value: string): Promise<void>;
  /** The store's clock, read independently of the store under test. */
  storeNow(): Promise<number>;
  /** Moves the store's clock forward; without it the suite waits in real time. */
  advanceTime?: (ms: number) => Promise<void>;
  cleanup(): Promise<void>;
}

/** Short enough to wait out in real time against Redis. */
const POLICY: HealthPolicy = {
  consecutiveFailures: 3,
  cooldownInitialS: 0.1,
  cooldownMultiplier: 2,
  cooldownMaxS: 5,
  terminalCooldownS: 60,
};
const server: HealthFailure = { cls: 'server' };
/** Clock agreement between the store and an independent read of its clock. */
const CLOCK_TOLERANCE_MS = 250;
const realWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every HealthStore must show. Runs against the in-memory store (unit) and a real
 * redis-server (integration): both must apply the cooldown arithmetic of cooldown.ts exactly.
 * `setup` receives the jitter source the store must use.
 */
export function describeHealthStoreContract(
  name: string,
  setup: (random: () => number) => Promise<HealthStoreFixture>,
): void {
  describe(`${name} (HealthStore contract)`, () => {
    let fixture: HealthStoreFixture;
    let store: HealthStore;
    let jitter: () => number;
    let advance: (ms: number) => Promise<void>;

    beforeEach(async () => {
      jitter = () => 0.5;
      fixture = await setup(() => jitter());
      store = fixture.store;
      advance = fixture.advanceTime ?? realWait;
    });
    afterEach(() => fixture.cleanup());

    /** Records the failures in order and checks each stored record against cooldown.ts. */
    async function failInOrder(
      id: string,
      failures: HealthFailure[],
      policy = POLICY,
      start?: DeploymentHealth,
    ): Promise<DeploymentHealth | undefined> {
      let previous = start;
      for (const failure of failures) {
        const stored = await store.recordFailure(id, failure, policy);
        const expected = recordFailure(previous, failure, policy, stored.lastFailureMs, jitter);
        expect(stored).toEqual(expected);
        previous = stored;
      }
      return previous;
    }

    it('an empty store has no entries and reports its own clock', async () => {
      const snapshot = await store.snapshot();
      expect(snapshot.entries.size).toBe(0);
      expect(Math.abs(snapshot.nowMs - (await fixture.storeNow()))).toBeLessThan(
        CLOCK_TOLERANCE_MS,
      );
    });

    it('stamps failures with the store clock and shows them in the next snapshot', async () => {
      const stored = await store.recordFailure('a', server, POLICY);
      expect(Math.abs(stored.lastFailureMs - (await fixture.storeNow()))).toBeLessThan(
        CLOCK_TOLERANCE_MS,
      );
      const snapshot = await store.snapshot();
      expect([...snapshot.entries]).toEqual([['a', stored]]);
    });

    it('applies the arithmetic of cooldown.ts: threshold, backoff and its jitter', async () => {
      const counted = await failInOrder('a', [server, server]);
      jitter = () => 0.999;
      const opened = await failInOrder('a', [server], POLICY, counted);
      expect(opened).toMatchObject({ consecutive: 3, opens: 1, reason: 'server' });
      expect(opened!.untilMs - opened!.lastFailureMs).toBe(119);
    });

    it('a 429 with Retry-After opens at once for it, clamped; terminal for terminal_cooldown_s', async () => {
      const limited = await failInOrder('a', [{ cls: 'rate_limit', retryAfterMs: 3_000.7 }]);
      expect(limited!.untilMs - limited!.lastFailureMs).toBe(3_000);
      const clampedUp = await failInOrder('b', [{ cls: 'rate_limit', retryAfterMs: 5 }]);
      expect(clampedUp!.untilMs - clampedUp!.lastFailureMs).toBe(1_000);
      const clampedDown = await failInOrder('c', [{ cls: 'rate_limit', retryAfterMs: 9e9 }]);
      expect(clampedDown!.untilMs - clampedDown!.lastFailureMs).toBe(5_000);
      const terminal = await failInOrder('d', [{ cls: 'terminal' }]);
      expect(terminal).toMatchObject({ opens: 1, reason: 'terminal' });
      expect(terminal!.untilMs - terminal!.lastFailureMs).toBe(60_000);
      await failInOrder('e', [{ cls: 'rate_limit' }, { cls: 'timeout' }, { cls: 'rate_limit' }]);
    });

    it('a later failure only extends the deadline', async () => {
      const terminal = await failInOrder('a', [{ cls: 'terminal' }]);
      const after = await failInOrder(
        'a',
        [{ cls: 'rate_limit', retryAfterMs: 2_000 }, server],
        POLICY,
        terminal,
      );
      expect(after).toMatchObject({ untilMs: terminal!.untilMs, reason: 'terminal', opens: 1 });
      const limited = await failInOrder('b', [{ cls: 'rate_limit', retryAfterMs: 1_000 }]);
      const extended = await failInOrder('b', [{ cls: 'terminal' }], POLICY, limited);
      expect(extended).toMatchObject({ reason: 'terminal', opens: 1 });
    });

    it('cooldown_initial_s: 0 counts failures but never opens', async () => {
      const disabled = { ...POLICY, cooldownInitialS: 0 };
      const health = await failInOrder(
        'a',
        [server, { cls: 'terminal' }, { cls: 'rate_limit', retryAfterMs: 2_000 }, server],
        disabled,
      );
      expect(health).toMatchObject({ consecutive: 4, opens: 0, untilMs: 0 });
    });

    it('recordSuccess forgets the record; forgetting an absent one is fine', async () => {
      await failInOrder('a', [server, server, server]);
      await store.recordFailure('b', server, POLICY);
      await store.recordSuccess('a');
      await store.recordSuccess('never-failed');
      const snapshot = await store.snapshot();
      expect([...snapshot.entries.keys()]).toEqual(['b']);
    });

    it('health is per deployment: failures of one leave the others alone', async () => {
      await failInOrder('a', [{ cls: 'terminal' }]);
      const other = await store.recordFailure('b', server, POLICY);
      expect(other).toMatchObject({ consecutive: 1, untilMs: 0 });
      expect(await store.acquireProbe('b', 1_000)).toBe(true);
    });

    it('concurrent failures from many callers open exactly once; the deadline only grows', async () => {
      jitter = seededRandom(7);
      // A cooldown long enough that no store (a cluster is slower) outlasts it during the burst.
      const policy = { ...POLICY, cooldownInitialS: 10, cooldownMaxS: 60 };
      const results = await Promise.all(
        Array.from({ length: 25 }, () => store.recordFailure('a', server, policy)),
      );
      results.sort((x, y) => x.consecutive - y.consecutive);
      expect(results.map((r) => r.consecutive)).toEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      expect(results.slice(0, 2).every((r) => r.untilMs === 0 && r.opens === 0)).toBe(true);
      expect(results.slice(2).every((r) => r.opens === 1 && r.untilMs > 0)).toBe(true);
      for (let i = 3; i < results.length; i++) {
        expect(results[i].untilMs).toBeGreaterThanOrEqual(results[i - 1].untilMs);
      }
      const stored = (await store.snapshot()).entries.get('a');
      expect(stored).toEqual(results[24]);
    });

    it('no probe before the cooldown ends; then exactly one of many concurrent callers wins', async () => {
      const opened = await failInOrder('a', [server, server, server]);
      const early = await Promise.all(
        Array.from({ length: 10 }, () => store.acquireProbe('a', 200)),
      );
      expect(early.filter(Boolean)).toHaveLength(0);
      await advance(opened!.untilMs - opened!.lastFailureMs + 20);
      const wins = await Promise.all(
        Array.from({ length: 20 }, () => store.acquireProbe('a', 200)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const leased = (await store.snapshot()).entries.get('a');
      expect(leased?.probeUntilMs).toBeGreaterThan(opened!.untilMs);
      await advance(250);
      const next = await Promise.all(
        Array.from({ length: 20 }, () => store.acquireProbe('a', 200)),
      );
      expect(next.filter(Boolean)).toHaveLength(1);
    });

    it('a failed probe re-opens with opens + 1 and a longer cooldown; a successful one closes', async () => {
      const opened = await failInOrder('a', [server, server, server]);
      await advance(opened!.untilMs - opened!.lastFailureMs + 20);
      expect(await store.acquireProbe('a', 5_000)).toBe(true);
      const leased = (await store.snapshot()).entries.get('a');
      const reopened = await failInOrder('a', [server], POLICY, leased);
      expect(reopened).toMatchObject({ opens: 2, consecutive: 4 });
      expect(reopened!.probeUntilMs).toBeUndefined();
      expect(reopened!.untilMs - reopened!.lastFailureMs).toBe(200);
      await advance(220);
      expect(await store.acquireProbe('a', 5_000)).toBe(true);
      await store.recordSuccess('a');
      expect((await store.snapshot()).entries.size).toBe(0);
    });

    it('a deployment with no open record needs no probe: granted, nothing written', async () => {
      expect(await store.acquireProbe('fresh', 1_000)).toBe(true);
      await store.recordFailure('counted', server, POLICY);
      expect(await store.acquireProbe('counted', 1_000)).toBe(true);
      const snapshot = await store.snapshot();
      expect(snapshot.entries.has('fresh')).toBe(false);
      expect(snapshot.entries.get('counted')?.probeUntilMs).toBeUndefined();
    });

    it('ignores unreadable values instead of failing, and writes over them', async () => {
      const garbage = [
        'not json',
        '[1,2]',
        '"text"',
        'null',
        '{"consecutive":-1,"opens":0,"untilMs":0,"lastFailureMs":0}',
        '{"consecutive":"3","opens":0,"untilMs":0,"lastFailureMs":0}',
        '{"opens":1}',
      ];
      for (const [i, value] of garbage.entries()) await fixture.writeRaw(`junk-${i}`, value);
      await fixture.writeRaw(
        'newer',
        '{"consecutive":2,"opens":0,"untilMs":0,"lastFailureMs":1,"reason":"solar_flare","v":2}',
      );
      const snapshot = await store.snapshot();
      expect([...snapshot.entries]).toEqual([
        ['newer', { consecutive: 2, opens: 0, untilMs: 0, lastFailureMs: 1 }],
      ]);
      await expect(store.acquireProbe('junk-0', 1_000)).resolves.toBe(true);
      await expect(store.recordFailure('junk-1', server, POLICY)).resolves.toMatchObject({
        consecutive: 1,
      });
    });

    it('shutdown may be called twice', async () => {
      await store.shutdown();
      await expect(store.shutdown()).resolves.toBeUndefined();
    });
  });
}

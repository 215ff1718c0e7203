import { CacheUnavailableError } from '../../cache/cache-unavailable.error';
import { HealthPolicy } from '../config/routing-config';
import { DeploymentHealth, HealthFailure } from './deployment-health';
import { HealthSnapshot, HealthStore } from './health-store.interface';
import { HealthView } from './health-view';
import { InMemoryHealthStore } from './in-memory-health.store';

const POLICY: HealthPolicy = {
  consecutiveFailures: 3,
  cooldownInitialS: 10,
  cooldownMultiplier: 2,
  cooldownMaxS: 300,
  terminalCooldownS: 300,
};
const server: HealthFailure = { cls: 'server' };
const SYNC_MS = 1_000;
const NO_JITTER = (): number => 0.5;

/** Counts what reaches the store, and can play an unreachable store. */
class CountingStore implements HealthStore {
  readonly kind = 'counting';
  down = false;
  snapshots = 0;
  writes: string[] = [];

  constructor(private readonly inner: HealthStore) {}

  snapshot(): Promise<HealthSnapshot> {
    this.snapshots++;
    return this.guard(() => this.inner.snapshot());
  }
  recordFailure(id: string, f: HealthFailure, p: HealthPolicy): Promise<DeploymentHealth> {
    this.writes.push(`failure ${id}`);
    return this.guard(() => this.inner.recordFailure(id, f, p));
  }
  recordSuccess(id: string): Promise<void> {
    this.writes.push(`success ${id}`);
    return this.guard(() => this.inner.recordSuccess(id));
  }
  acquireProbe(id: string, leaseMs: number): Promise<boolean> {
    this.writes.push(`probe ${id}`);
    return this.guard(() => this.inner.acquireProbe(id, leaseMs));
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  private guard<T>(run: () => Promise<T>): Promise<T> {
    return this.down ? Promise.reject(new CacheUnavailableError('Health store down')) : run();
  }
}

describe('HealthView', () => {
  let shared: CountingStore;
  let logger: { warn: jest.Mock; log: jest.Mock };
  const views: HealthView[] = [];

  function view(): HealthView {
    const created = new HealthView(shared, { syncMs: SYNC_MS, random: NO_JITTER, logger });
    views.push(created);
    return created;
  }
  const tick = (ms = SYNC_MS): Promise<void> => jest.advanceTimersByTimeAsync(ms).then(() => {});

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
    shared = new CountingStore(new InMemoryHealthStore({ random: NO_JITTER }));
    logger = { warn: jest.fn(), log: jest.fn() };
  });
  afterEach(() => {
    views.splice(0).forEach((v) => v.stop());
    jest.useRealTimers();
  });

  it("sees its own failures at once and another instance's after one sync", async () => {
    const a = view();
    const b = view();
    await Promise.all([a.start(), b.start()]);
    for (let i = 0; i < 3; i++) a.noteFailure('oai-us', server, POLICY);
    expect(a.availability('oai-us')).toEqual({
      state: 'open',
      remainingMs: 10_000,
      reason: 'server',
    });
    expect(b.availability('oai-us')).toEqual({ state: 'closed' });
    await tick();
    expect(b.availability('oai-us')).toMatchObject({ state: 'open', reason: 'server' });
    expect(b.availability('other')).toEqual({ state: 'closed' });
  });

  it('a healthy fleet makes zero store writes, however many requests succeed', async () => {
    const a = view();
    const b = view();
    await Promise.all([a.start(), b.start()]);
    for (let i = 0; i < 1_000; i++) {
      for (const v of [a, b]) {
        expect(v.availability('oai-us').state).toBe('closed');
        await expect(v.tryProbe('oai-us')).resolves.toBe(true);
        v.noteSuccess('oai-us');
      }
    }
    await tick(10 * SYNC_MS);
    expect(shared.writes).toEqual([]);
    expect(shared.snapshots).toBeGreaterThanOrEqual(22);
  });

  it('the first success after a failure clears it fleet-wide with one write, then none', async () => {
    const a = view();
    const b = view();
    await Promise.all([a.start(), b.start()]);
    a.noteFailure('d', server, POLICY);
    await tick();
    expect(b.entries().has('d')).toBe(true);
    b.noteSuccess('d');
    b.noteSuccess('d');
    await tick();
    a.noteSuccess('d');
    expect(shared.writes).toEqual(['failure d', 'success d']);
    expect([...a.entries().keys(), ...b.entries().keys()]).toEqual([]);
  });

  it('corrects for a store clock that runs far ahead of this host', async () => {
    const skewed = new InMemoryHealthStore({
      now: () => Date.now() + 3_600_000,
      random: NO_JITTER,
    });
    shared = new CountingStore(skewed);
    await skewed.recordFailure('d', { cls: 'rate_limit', retryAfterMs: 5_000 }, POLICY);
    const a = view();
    await a.start();
    expect(a.availability('d')).toEqual({
      state: 'open',
      remainingMs: 5_000,
      reason: 'rate_limit',
    });
    jest.advanceTimersByTime(4_000);
    expect(a.availability('d')).toMatchObject({ state: 'open', remainingMs: 1_000 });
    jest.advanceTimersByTime(1_000);
    expect(a.availability('d')).toEqual({ state: 'half_open' });
  });

  it('exactly one instance probes a deployment whose cooldown ended; the others wait', async () => {
    const a = view();
    const b = view();
    await Promise.all([a.start(), b.start()]);
    a.noteFailure('d', { cls: 'rate_limit', retryAfterMs: 2_000 }, POLICY);
    await tick();
    await expect(b.tryProbe('d')).resolves.toBe(false); // still open: no store call
    await tick(2 * SYNC_MS);
    expect(b.availability('d')).toEqual({ state: 'half_open' });
    const results = await Promise.all([a.tryProbe('d'), b.tryProbe('d')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const probesSoFar = shared.writes.filter((w) => w.startsWith('probe')).length;
    await expect(a.tryProbe('d')).resolves.toBe(false);
    await expect(b.tryProbe('d')).resolves.toBe(false);
    expect(shared.writes.filter((w) => w.startsWith('probe'))).toHaveLength(probesSoFar);
    expect(a.availability('d')).toMatchObject({ state: 'half_open' });
  });

  it('store down: keeps the last snapshot plus local observations, one warning per outage', async () => {
    const a = view();
    await a.start();
    a.noteFailure('known', { cls: 'terminal' }, POLICY);
    await tick();
    shared.down = true;
    for (let i = 0; i < 3; i++) a.noteFailure('local', server, POLICY);
    await tick(5 * SYNC_MS);
    expect(a.availability('known')).toMatchObject({ state: 'open', reason: 'terminal' });
    expect(a.availability('local')).toMatchObject({ state: 'open', reason: 'server' });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0][0])).toContain('Health store down');
    shared.down = false;
    await tick();
    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(a.availability('local')).toMatchObject({ state: 'open' });
    shared.down = true;
    await tick(3 * SYNC_MS);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('store down after a cooldown ended: one local probe per lease', async () => {
    const a = view();
    await a.start();
    a.noteFailure('d', { cls: 'rate_limit', retryAfterMs: 1_000 }, POLICY);
    await tick(2 * SYNC_MS);
    shared.down = true;
    await expect(a.tryProbe('d', 5_000)).resolves.toBe(true);
    await expect(a.tryProbe('d', 5_000)).resolves.toBe(false);
  });

  it('an observation whose write is still in flight survives a snapshot taken before it landed', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new InMemoryHealthStore({ random: NO_JITTER });
    shared = new CountingStore({
      kind: 'slow',
      snapshot: () => inner.snapshot(),
      recordFailure: (id, f, p) => gate.then(() => inner.recordFailure(id, f, p)),
      recordSuccess: (id) => inner.recordSuccess(id),
      acquireProbe: (id, lease) => inner.acquireProbe(id, lease),
      shutdown: () => inner.shutdown(),
    });
    const a = view();
    await a.start();
    a.noteFailure('d', server, POLICY);
    await tick();
    expect(a.entries().get('d')).toMatchObject({ consecutive: 1 });
    release();
    await tick();
    expect(a.entries().get('d')).toMatchObject({ consecutive: 1 });
    a.noteSuccess('d');
    expect(shared.writes).toEqual(['failure d', 'success d']);
  });

  it('refuses a sync period below 1 ms', () => {
    expect(() => new HealthView(shared, { syncMs: 0 })).toThrow(RangeError);
  });
});

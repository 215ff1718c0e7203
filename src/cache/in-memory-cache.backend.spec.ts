import { describeCacheBackendContract } from './cache-backend.contract';
import { InMemoryCacheBackend } from './in-memory-cache.backend';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describeCacheBackendContract('InMemoryCacheBackend', () => {
  const clock = fakeClock();
  const backend = new InMemoryCacheBackend({ maxEntries: 1_000, now: clock.now });
  const advanceTime = (ms: number): Promise<void> => {
    clock.advance(ms);
    return Promise.resolve();
  };
  return Promise.resolve({ backend, advanceTime, cleanup: () => backend.shutdown() });
});

describe('InMemoryCacheBackend', () => {
  const backends: InMemoryCacheBackend[] = [];
  const create = (maxEntries: number, now?: () => number): InMemoryCacheBackend => {
    const backend = new InMemoryCacheBackend({ maxEntries, now, sweepIntervalMs: 0 });
    backends.push(backend);
    return backend;
  };
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((b) => b.shutdown()));
    jest.useRealTimers();
  });

  it('evicts the least recently used key when a new key would exceed maxEntries', async () => {
    const cache = create(3);
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.set('c', '3', 60);
    await cache.get('a'); // a is now the most recently used; b the least
    await cache.set('d', '4', 60);
    await expect(cache.get('b')).resolves.toBeNull();
    for (const key of ['a', 'c', 'd']) await expect(cache.get(key)).resolves.not.toBeNull();
    expect(cache.size).toBe(3);
  });

  it('counts getAndRefresh and setIfAbsent as uses, and overwriting a key evicts nothing', async () => {
    const cache = create(3);
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.set('c', '3', 60);
    await cache.getAndRefresh('a', 60);
    await cache.setIfAbsent('b', 'ignored', 60);
    await cache.set('c', 'replaced', 60);
    await cache.set('d', '4', 60);
    await expect(cache.get('a')).resolves.toBeNull();
    await expect(cache.get('c')).resolves.toMatchObject({ value: 'replaced' });
    expect(cache.size).toBe(3);
  });

  it('keeps evicting in constant time however many evictions came before', async () => {
    const cache = create(100_000);
    const cpuMsOf = async (from: number, count: number): Promise<number> => {
      const started = process.cpuUsage();
      for (let i = from; i < from + count; i++) await cache.set(`key-${i}`, 'v', 60);
      const used = process.cpuUsage(started);
      return (used.user + used.system) / 1000;
    };
    await cpuMsOf(0, 100_000);
    // The first 50,000 evictions, then 50,000 more after another 100,000: CPU time, not wall
    // time, so a busy machine slows both alike. Rescanning the holes evictions leave at the
    // front of the Map made the later batch ~7× the first (and the whole run ~21 s).
    const early = await cpuMsOf(100_000, 50_000);
    await cpuMsOf(150_000, 100_000);
    const late = await cpuMsOf(250_000, 50_000);
    expect(cache.size).toBe(100_000);
    await expect(cache.get('key-299999')).resolves.not.toBeNull();
    await expect(cache.get('key-199999')).resolves.toBeNull();
    expect(late / early).toBeLessThan(3);
  });

  it('writes sweep expired keys that nobody reads again', async () => {
    const clock = fakeClock();
    const cache = create(1_000, clock.now);
    for (let i = 0; i < 100; i++) await cache.set(`old-${i}`, 'v', 1);
    clock.advance(1_001);
    for (let i = 0; i < 100; i++) await cache.set(`new-${i}`, 'v', 60);
    expect(cache.size).toBe(100);
  });

  it('the background sweep removes expired keys while nothing is written', async () => {
    jest.useFakeTimers();
    const clock = fakeClock();
    const cache = new InMemoryCacheBackend({
      maxEntries: 100,
      now: clock.now,
      sweepIntervalMs: 50,
    });
    backends.push(cache);
    for (let i = 0; i < 50; i++) await cache.set(`k-${i}`, 'v', 1);
    await cache.set('live', 'v', 60);
    clock.advance(2_000);
    jest.advanceTimersByTime(50);
    expect(cache.size).toBe(1);
    await cache.shutdown();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('follows the injected clock to the millisecond, live through its expiry instant', async () => {
    const clock = fakeClock();
    const cache = create(10, clock.now);
    await cache.set('k', 'v', 2);
    clock.advance(750);
    await expect(cache.get('k')).resolves.toEqual({ value: 'v', ttlMs: 1_250 });
    clock.advance(1_250);
    await expect(cache.get('k')).resolves.toEqual({ value: 'v', ttlMs: 0 });
    clock.advance(1);
    await expect(cache.get('k')).resolves.toBeNull();
    expect(cache.size).toBe(0);
  });

  it('keeps answering after shutdown: only its sweep timer is released', async () => {
    const cache = create(10);
    await cache.shutdown();
    await cache.set('k', 'v', 60);
    await expect(cache.get('k')).resolves.toMatchObject({ value: 'v' });
    await expect(cache.ping()).resolves.toBeUndefined();
  });

  it.each([0, 1.5, 16_777_217])('refuses maxEntries of %p', (maxEntries) => {
    expect(() => new InMemoryCacheBackend({ maxEntries })).toThrow(RangeError);
  });
});

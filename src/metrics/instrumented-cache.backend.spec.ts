import { Counter, Histogram, Registry } from 'prom-client';
import { CacheUnavailableError } from '../cache/cache-unavailable.error';
import { InMemoryCacheBackend } from '../cache/in-memory-cache.backend';
import { InstrumentedCacheBackend } from './instrumented-cache.backend';

describe('InstrumentedCacheBackend', () => {
  let registry: Registry;
  let duration: Histogram<'backend' | 'operation'>;
  let errors: Counter<'backend' | 'operation'>;
  let inner: InMemoryCacheBackend;

  beforeEach(() => {
    registry = new Registry();
    const labelNames = ['backend', 'operation'] as const;
    duration = new Histogram({ name: 'd', help: 'd', labelNames, registers: [registry] });
    errors = new Counter({ name: 'e', help: 'e', labelNames, registers: [registry] });
    inner = new InMemoryCacheBackend({ maxEntries: 10, sweepIntervalMs: 0 });
  });
  afterEach(() => inner.shutdown());

  const count = async (operation: string): Promise<number> => {
    const metric = await duration.get();
    const sample = metric.values.find(
      (v) => v.metricName === 'd_count' && v.labels.operation === operation,
    );
    return sample?.value ?? 0;
  };
  const errorCount = async (operation: string): Promise<number> =>
    (await errors.get()).values.find((v) => v.labels.operation === operation)?.value ?? -1;

  it('behaves exactly like the backend it wraps', async () => {
    const cache = new InstrumentedCacheBackend(inner, duration, errors);
    expect(cache.kind).toBe('memory');
    await cache.set('k', 'v', 60);
    await expect(cache.setIfAbsent('k', 'w', 60)).resolves.toEqual({ stored: false, value: 'v' });
    await expect(cache.getAndRefresh('k', 60)).resolves.toBe('v');
    await expect(cache.get('k')).resolves.toMatchObject({ value: 'v' });
    await expect(cache.delete('k')).resolves.toBe(true);
    await expect(cache.ping()).resolves.toBeUndefined();
  });

  it('times each operation under its own label', async () => {
    const cache = new InstrumentedCacheBackend(inner, duration, errors);
    await cache.set('k', 'v', 60);
    await cache.getAndRefresh('k', 60);
    await cache.getAndRefresh('k', 60);
    expect(await count('set')).toBe(1);
    expect(await count('getAndRefresh')).toBe(2);
    expect(await count('delete')).toBe(0);
  });

  it('counts failures and still rejects with the original error', async () => {
    const failure = new CacheUnavailableError('Session store unavailable (get failed)');
    inner.get = (): Promise<never> => Promise.reject(failure);
    const cache = new InstrumentedCacheBackend(inner, duration, errors);
    expect(await errorCount('get')).toBe(0);
    await expect(cache.get('k')).rejects.toBe(failure);
    expect(await errorCount('get')).toBe(1);
    expect(await count('get')).toBe(1);
  });
});

import type { Counter, Histogram } from 'prom-client';
import type {
  CacheBackend,
  CacheEntry,
  CompareAndSwapResult,
  FieldCondition,
  SetIfAbsentResult,
} from '../cache/cache-backend.interface';

type Label = 'backend' | 'operation';
type Operation =
  'get' | 'set' | 'setIfAbsent' | 'getAndRefresh' | 'compareAndSwap' | 'delete' | 'ping';

interface OperationMetrics {
  duration: Histogram.Internal<Label>;
  errorLabels: { backend: string; operation: Operation };
}

/**
 * A CacheBackend decorator that times every operation and counts failures, leaving the
 * contract untouched. Applied where SessionService is built, so it also wraps a backend that
 * tests substitute for CACHE_BACKEND.
 */
export class InstrumentedCacheBackend implements CacheBackend {
  private readonly ops: Record<Operation, OperationMetrics>;

  constructor(
    private readonly inner: CacheBackend,
    duration: Histogram<Label>,
    private readonly errors: Counter<Label>,
  ) {
    const backend = inner.kind;
    const bind = (operation: Operation): OperationMetrics => ({
      duration: duration.labels(backend, operation),
      errorLabels: { backend, operation },
    });
    this.ops = {
      get: bind('get'),
      set: bind('set'),
      setIfAbsent: bind('setIfAbsent'),
      getAndRefresh: bind('getAndRefresh'),
      compareAndSwap: bind('compareAndSwap'),
      delete: bind('delete'),
      ping: bind('ping'),
    };
    // Present from the first scrape, so an error rate starts at zero instead of missing.
    for (const op of Object.values(this.ops)) errors.inc(op.errorLabels, 0);
  }

  get kind(): string {
    return this.inner.kind;
  }

  get(key: string): Promise<CacheEntry | null> {
    return this.timed(this.ops.get, performance.now(), this.inner.get(key));
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.timed(this.ops.set, performance.now(), this.inner.set(key, value, ttlSeconds));
  }

  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<SetIfAbsentResult> {
    const started = performance.now();
    return this.timed(
      this.ops.setIfAbsent,
      started,
      this.inner.setIfAbsent(key, value, ttlSeconds),
    );
  }

  getAndRefresh(
    key: string,
    ttlSeconds: number,
    condition?: FieldCondition,
  ): Promise<string | null> {
    const started = performance.now();
    const pending = this.inner.getAndRefresh(key, ttlSeconds, condition);
    return this.timed(this.ops.getAndRefresh, started, pending);
  }

  compareAndSwap(
    key: string,
    expected: string,
    next: string | null,
    ttlSeconds: number,
  ): Promise<CompareAndSwapResult> {
    return this.timed(
      this.ops.compareAndSwap,
      performance.now(),
      this.inner.compareAndSwap(key, expected, next, ttlSeconds),
    );
  }

  delete(key: string, condition?: FieldCondition): Promise<boolean> {
    return this.timed(this.ops.delete, performance.now(), this.inner.delete(key, condition));
  }

  ping(): Promise<void> {
    return this.timed(this.ops.ping, performance.now(), this.inner.ping());
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  private async timed<T>(op: OperationMetrics, started: number, pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      this.errors.inc(op.errorLabels);
      throw error;
    } finally {
      op.duration.observe((performance.now() - started) / 1000);
    }
  }
}

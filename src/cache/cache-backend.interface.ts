/**
 * The session store contract. Only operations that the in-memory and the Redis backend honour
 * exactly live here (a shared contract suite runs against both). Values are opaque strings;
 * TTLs are whole seconds and every write sets one. A backend that cannot reach its store
 * rejects with CacheUnavailableError, promptly (bounded by its command timeout).
 */
export interface CacheBackend {
  /** `memory` or `redis`: for logs, metrics and readiness only, never for branching. */
  readonly kind: string;

  /** The value and its remaining lifetime, without refreshing it; null when absent/expired. */
  get(key: string): Promise<CacheEntry | null>;

  /** Stores `value` for `ttlSeconds`, replacing whatever was there. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;

  /**
   * Atomically stores `value` for `ttlSeconds` unless the key holds a live value. Resolves with
   * what the store holds afterwards: your value (`stored: true`) or the existing one.
   */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<SetIfAbsentResult>;

  /**
   * Reads the value and, in the same round trip, resets its lifetime to `ttlSeconds`. With a
   * `condition`, the lifetime is reset only when the value is a JSON object whose
   * `condition.field` equals `condition.equals`; the value is returned either way.
   */
  getAndRefresh(
    key: string,
    ttlSeconds: number,
    condition?: FieldCondition,
  ): Promise<string | null>;

  /**
   * Deletes the key, and with a `condition` only when it holds (see getAndRefresh). Resolves
   * true when something was deleted.
   */
  delete(key: string, condition?: FieldCondition): Promise<boolean>;

  /**
   * Atomically replaces the value with `next` (or deletes it when `next` is null, resetting the
   * lifetime to `ttlSeconds` otherwise) only when it is exactly `expected`. Resolves with what
   * the store holds afterwards: `next` (`swapped: true`) or the value found (null when absent).
   */
  compareAndSwap(
    key: string,
    expected: string,
    next: string | null,
    ttlSeconds: number,
  ): Promise<CompareAndSwapResult>;

  /** Resolves when the store answers; rejects with CacheUnavailableError otherwise. */
  ping(): Promise<void>;

  /** Releases what the backend opened (connections, timers). Idempotent. */
  shutdown(): Promise<void>;
}

export interface CacheEntry {
  value: string;
  /** Milliseconds left; -1 when the key never expires (only possible if written outside). */
  ttlMs: number;
}

export interface SetIfAbsentResult {
  stored: boolean;
  /** The value the store holds now: the caller's on success, the winner's otherwise. */
  value: string;
}

export interface CompareAndSwapResult {
  swapped: boolean;
  /** What the store holds now. */
  value: string | null;
}

/** "The stored JSON object's `field` equals `equals`" (a string comparison). */
export interface FieldCondition {
  field: string;
  equals: string;
}

export const CACHE_BACKEND = Symbol('CACHE_BACKEND');

/* eslint-disable @typescript-eslint/require-await -- a synchronous store behind an async
   contract: `async` turns a thrown RangeError into a rejection, as the contract promises. */
import { performance } from 'node:perf_hooks';
import {
  CacheBackend,
  CacheEntry,
  CompareAndSwapResult,
  FieldCondition,
  SetIfAbsentResult,
} from './cache-backend.interface';
import { checkTtlSeconds } from './check-ttl-seconds';
import { fieldConditionHolds } from './field-condition';
import { flattenString } from './flatten-string';

export interface InMemoryCacheBackendOptions {
  /** Most keys held at once; beyond it the least recently used key is evicted. */
  maxEntries: number;
  /** Clock in milliseconds (tests inject a fake one). Default: a monotonic clock. */
  now?: () => number;
  /** Period of the background sweep of expired keys; 0 turns it off. Default 1000. */
  sweepIntervalMs?: number;
}

/** V8 refuses to grow a Map past 2^24 entries. */
const MAX_ENTRIES_LIMIT = 16_777_216;
/** Each write inspects this many keys, so the sweep cursor outpaces growth (≤ 1 key a write). */
const SWEEP_PER_WRITE = 4;
const SWEEP_PER_TICK = 20_000;
/** Operations without an eviction after which the eviction cursor is dropped (see below). */
const EVICT_CURSOR_IDLE_OPS = 65_536;

/**
 * A single-process CacheBackend with Redis's TTL semantics: a key is live until its expiry
 * instant (inclusive) and reads of an expired key behave as if it were absent.
 *
 * Memory layout: one Map (key → slot number) whose insertion order is the recency order, and
 * slot-indexed arrays for values and expiry instants, so a key costs its two strings plus a
 * few machine words, with no per-key object or boxed number.
 */
export class InMemoryCacheBackend implements CacheBackend {
  readonly kind = 'memory';
  private readonly slots = new Map<string, number>();
  private readonly values: string[] = [];
  private expiresAt: Float64Array;
  private readonly freeSlots: number[] = [];
  private readonly maxEntries: number;
  private readonly now: () => number;
  /**
   * Map iterators survive deletes and inserts, but one that is not advanced pins the Map's
   * pre-rehash table (tens of MB at a million keys): every operation advances the sweep cursor,
   * and an eviction cursor idle for EVICT_CURSOR_IDLE_OPS operations is dropped.
   */
  private sweepCursor: Iterator<[string, number]> | undefined;
  /**
   * Persistent, because `slots.keys().next()` re-skips every hole that evictions leave at the
   * front of the Map's table: O(n) per eviction until V8 compacts the table.
   */
  private evictCursor: Iterator<string> | undefined;
  private opsSinceEviction = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: InMemoryCacheBackendOptions) {
    const { maxEntries } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) {
      throw new RangeError(`maxEntries must be a whole number in 1..${MAX_ENTRIES_LIMIT}`);
    }
    this.maxEntries = maxEntries;
    this.expiresAt = new Float64Array(Math.min(maxEntries, 1024));
    // Monotonic by default: a wall-clock step must not expire or revive sessions.
    this.now = options.now ?? ((): number => Math.floor(performance.now()));
    const interval = options.sweepIntervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => this.tick(), interval);
      this.timer.unref();
    }
  }

  /** Keys held, including expired ones the sweep has not reached yet. */
  get size(): number {
    return this.slots.size;
  }

  async get(key: string): Promise<CacheEntry | null> {
    const now = this.now();
    this.maintain(1, now);
    const slot = this.liveSlot(key, now);
    if (slot === undefined) return null;
    this.touch(key, slot);
    return { value: this.values[slot], ttlMs: this.expiresAt[slot] - now };
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    checkTtlSeconds(ttlSeconds);
    const now = this.now();
    this.maintain(SWEEP_PER_WRITE, now);
    this.store(key, value, now + ttlSeconds * 1000);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<SetIfAbsentResult> {
    checkTtlSeconds(ttlSeconds);
    const now = this.now();
    this.maintain(SWEEP_PER_WRITE, now);
    const slot = this.liveSlot(key, now);
    if (slot !== undefined) {
      this.touch(key, slot);
      return { stored: false, value: this.values[slot] };
    }
    this.store(key, value, now + ttlSeconds * 1000);
    return { stored: true, value };
  }

  async getAndRefresh(
    key: string,
    ttlSeconds: number,
    condition?: FieldCondition,
  ): Promise<string | null> {
    checkTtlSeconds(ttlSeconds);
    const now = this.now();
    this.maintain(1, now);
    const slot = this.liveSlot(key, now);
    if (slot === undefined) return null;
    const value = this.values[slot];
    if (condition === undefined || fieldConditionHolds(value, condition)) {
      this.expiresAt[slot] = now + ttlSeconds * 1000;
    }
    this.touch(key, slot);
    return value;
  }

  async compareAndSwap(
    key: string,
    expected: string,
    next: string | null,
    ttlSeconds: number,
  ): Promise<CompareAndSwapResult> {
    checkTtlSeconds(ttlSeconds);
    const now = this.now();
    this.maintain(SWEEP_PER_WRITE, now);
    const slot = this.liveSlot(key, now);
    const current = slot === undefined ? null : this.values[slot];
    if (current !== expected) return { swapped: false, value: current };
    if (next === null) {
      this.remove(key, slot as number);
      return { swapped: true, value: null };
    }
    this.store(key, next, now + ttlSeconds * 1000);
    return { swapped: true, value: next };
  }

  async delete(key: string, condition?: FieldCondition): Promise<boolean> {
    const now = this.now();
    this.maintain(1, now);
    const slot = this.liveSlot(key, now);
    if (slot === undefined) return false;
    if (condition !== undefined && !fieldConditionHolds(this.values[slot], condition)) return false;
    this.remove(key, slot);
    return true;
  }

  async ping(): Promise<void> {}

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Inspects up to `limit` keys from where the previous sweep stopped and removes the expired
   * ones; returns how many it removed. Map iterators stay valid across deletes and inserts.
   */
  sweep(limit: number, now: number = this.now()): number {
    let removed = 0;
    let restarted = false;
    for (let visited = 0; visited < limit;) {
      if (this.sweepCursor === undefined) {
        if (restarted) break; // the whole Map has been visited in this call
        this.sweepCursor = this.slots.entries();
        restarted = true;
      }
      const next = this.sweepCursor.next();
      if (next.done === true) {
        this.sweepCursor = undefined;
        continue;
      }
      visited++;
      const [key, slot] = next.value;
      if (now > this.expiresAt[slot]) {
        this.remove(key, slot);
        removed++;
      }
    }
    return removed;
  }

  private tick(): void {
    this.maintain(SWEEP_PER_TICK, this.now());
  }

  private maintain(sweepBudget: number, now: number): void {
    this.sweep(sweepBudget, now);
    if (++this.opsSinceEviction > EVICT_CURSOR_IDLE_OPS) this.evictCursor = undefined;
  }

  private liveSlot(key: string, now: number): number | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (now > this.expiresAt[slot]) {
      this.remove(key, slot);
      return undefined;
    }
    return slot;
  }

  /** Moves the key to the most recently used end of the Map's order. */
  private touch(key: string, slot: number): void {
    this.slots.delete(key);
    this.slots.set(flattenString(key), slot);
  }

  private store(key: string, value: string, expiresAt: number): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.slots.size >= this.maxEntries) this.evictOldest();
      slot = this.allocateSlot();
    } else {
      this.slots.delete(key);
    }
    this.slots.set(flattenString(key), slot);
    this.values[slot] = flattenString(value);
    this.expiresAt[slot] = expiresAt;
  }

  private evictOldest(): void {
    this.evictCursor ??= this.slots.keys();
    let next = this.evictCursor.next();
    if (next.done === true) {
      this.evictCursor = this.slots.keys();
      next = this.evictCursor.next();
    }
    if (next.done === true) return;
    this.opsSinceEviction = 0;
    const slot = this.slots.get(next.value);
    if (slot !== undefined) this.remove(next.value, slot);
  }

  private allocateSlot(): number {
    const free = this.freeSlots.pop();
    if (free !== undefined) return free;
    const slot = this.values.length;
    this.values.push('');
    if (slot >= this.expiresAt.length) {
      const grown = new Float64Array(Math.min(this.expiresAt.length * 2, this.maxEntries));
      grown.set(this.expiresAt);
      this.expiresAt = grown;
    }
    return slot;
  }

  private remove(key: string, slot: number): void {
    this.slots.delete(key);
    this.values[slot] = '';
    this.freeSlots.push(slot);
  }
}

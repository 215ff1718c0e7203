/**
 * Both backends reject a TTL Redis would refuse (or, for EXPIRE, treat as "delete now") before
 * touching the store, so a caller's bug surfaces as the same RangeError on either backend rather
 * than as a store outage.
 */
export function checkTtlSeconds(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`ttlSeconds must be a whole number >= 1, got ${String(ttlSeconds)}`);
  }
}

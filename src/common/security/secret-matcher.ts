import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * A constant-time check of a presented credential against one secret. Digests have a fixed
 * length, so neither timingSafeEqual's length check nor the comparison leaks how much matched.
 */
export function secretMatcher(secret: string): (presented: unknown) => boolean {
  const expected = digest(secret);
  return (presented: unknown): boolean =>
    typeof presented === 'string' && timingSafeEqual(digest(presented), expected);
}

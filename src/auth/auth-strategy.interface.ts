import type { Caller } from './caller';

/**
 * One way to turn a bearer credential into a Caller. The guard asks each registered strategy
 * in order; the first non-null answer wins. A JWT verifier is another implementation of this.
 */
export interface AuthStrategy {
  authenticate(bearer: string): Caller | null | Promise<Caller | null>;
}

/** Multi-provider token: the ordered list of AuthStrategy instances. */
export const AUTH_STRATEGIES = Symbol('AUTH_STRATEGIES');

import type { RoutingDecision } from '../../chat/routing-decision';
import type { ErrorCode } from '../errors/error-codes';

/**
 * What the gateway learned while serving one request, filled in as it goes and read once when
 * the response closes (metrics, the request log line). Times are `performance.now()` values.
 */
export interface RequestFacts {
  readonly startedAt: number;
  /** Chat only: how the answer is delivered. */
  mode?: 'json' | 'stream';
  /** The provider call began. */
  upstreamStartedAt?: number;
  /** JSON: the provider's answer (or its failure) arrived; stream: the provider accepted. */
  upstreamRespondedAt?: number;
  /** Stream: the provider's first chunk arrived. */
  firstChunkAt?: number;
  /** Stream: the first event was handed to the client's socket. */
  firstByteAt?: number;
  /** The provider failed (before or during a stream): the code of the resulting error. */
  upstreamError?: ErrorCode;
  /** Chat only: what routing decided (final once the response is committed). */
  decision?: RoutingDecision;
  /** The code of the error envelope rendered for this request, if any. */
  errorCode?: ErrorCode;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types `res.locals` here
  namespace Express {
    interface Locals {
      /** Set first thing by observeRequestsMiddleware. */
      facts: RequestFacts;
    }
  }
}

export const newRequestFacts = (): RequestFacts => ({ startedAt: performance.now() });

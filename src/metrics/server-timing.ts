import type { RequestFacts } from '../common/http/request-facts';

/**
 * The `Server-Timing` value for a chat response about to send its headers: the gateway's own
 * time so far and, once the provider has answered, the time spent waiting on it (ms). For a
 * stream the headers go out when the provider accepts, so that is where both stop.
 */
export function serverTiming(facts: RequestFacts, now: number): string {
  const { upstreamStartedAt: started, upstreamRespondedAt: responded } = facts;
  const upstream = started !== undefined && responded !== undefined ? responded - started : 0;
  const gateway = Math.max(0, now - facts.startedAt - upstream);
  const own = `gateway;dur=${gateway.toFixed(2)};desc="Sentinel"`;
  return upstream > 0 ? `${own}, upstream;dur=${upstream.toFixed(2)}` : own;
}

import type { Request, Response } from 'express';
import type { RequestFacts } from './request-facts';

/** Route label for requests that matched no route (or were refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';
/** Status reported when the client left before the response was complete (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/** One finished request as metrics and the request log see it; durations in milliseconds. */
export interface CompletedRequest {
  requestId: string;
  method: string;
  /**
   * The client's address: the socket's peer, or (when TRUST_PROXY trusts the proxies in
   * between) the nearest untrusted address in X-Forwarded-For.
   */
  clientIp?: string;
  /** The matched route pattern (`/native/v1/sessions/:conversation_id`), never the raw URL. */
  route: string;
  /** The URL path, only when no route matched (the pattern says it all otherwise). */
  path?: string;
  status: number;
  externalId?: string;
  provider?: string;
  model?: string;
  /** `x-sentinel-session`, or `forbidden` for a 403 conversation_forbidden. */
  session?: string;
  mode?: 'json' | 'stream';
  errorCode?: string;
  upstreamError?: string;
  durationMs: number;
  /** JSON: the provider's answer; stream: until its first chunk. */
  upstreamMs?: number;
  /** The gateway's own time: JSON, the rest of the request; stream, until the first event. */
  gatewayMs?: number;
  /** Stream: request start to the first event written. */
  ttfbMs?: number;
}

const header = (res: Response, name: string): string | undefined => {
  const value = res.getHeader(name);
  return typeof value === 'string' ? value : undefined;
};

/** originalUrl, because a mounted middleware (static files) leaves `req.url` rewritten. */
const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

const routeOf = (req: Request): string => {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : UNMATCHED_ROUTE;
};

/** Reads what the pipeline left on the request, response and facts once the response closed. */
export function describeCompletedRequest(
  req: Request,
  res: Response,
  facts: RequestFacts,
  endedAt: number,
): CompletedRequest {
  const route = routeOf(req);
  const done: CompletedRequest = {
    requestId: req.requestId,
    method: req.method,
    clientIp: req.ip,
    route,
    path: route === UNMATCHED_ROUTE ? pathOf(req.originalUrl) : undefined,
    status: res.writableFinished ? res.statusCode : CLIENT_CLOSED_STATUS,
    externalId: req.caller?.externalId,
    provider: header(res, 'x-sentinel-provider'),
    model: header(res, 'x-sentinel-model'),
    session:
      header(res, 'x-sentinel-session') ??
      (facts.errorCode === 'conversation_forbidden' ? 'forbidden' : undefined),
    mode: facts.mode,
    errorCode: facts.errorCode,
    upstreamError: facts.upstreamError,
    durationMs: endedAt - facts.startedAt,
  };
  const upstreamEnd = facts.firstChunkAt ?? facts.upstreamRespondedAt;
  if (facts.upstreamStartedAt !== undefined && upstreamEnd !== undefined) {
    done.upstreamMs = upstreamEnd - facts.upstreamStartedAt;
    done.gatewayMs = (facts.firstByteAt ?? endedAt) - facts.startedAt - done.upstreamMs;
  }
  if (facts.firstByteAt !== undefined) done.ttfbMs = facts.firstByteAt - facts.startedAt;
  return done;
}

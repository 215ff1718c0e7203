import type { Response } from 'express';
import { serverTiming } from '../metrics/server-timing';
import type { ChatOutcome } from './chat-outcome';
import { decisionHeaders } from './routing-decision';
import { SseOptions, writeSseStream } from './write-sse-stream';

/** What Express's `res.json` would send as the type; set directly, it is not parsed again. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The commit point of every surface: routing headers from the decision, then the body. The
 * JSON answer is written as `res.json` writes it (one `JSON.stringify`, the same type and
 * length; ETags are off and the route is POST only), without Express re-parsing the type it
 * has just set.
 */
export async function writeChatOutcome(
  res: Response,
  outcome: ChatOutcome,
  options: SseOptions,
): Promise<void> {
  const headers = decisionHeaders(outcome.decision);
  for (const name in headers) res.setHeader(name, headers[name]);
  if (outcome.kind === 'stream') return writeSseStream(res, outcome.events, options);
  res.setHeader('Server-Timing', serverTiming(res.locals.facts, performance.now()));
  const body = JSON.stringify(outcome.body);
  res.statusCode = 200;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

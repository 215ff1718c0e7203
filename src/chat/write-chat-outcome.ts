import type { Response } from 'express';
import { serverTiming } from '../metrics/server-timing';
import type { ChatOutcome } from './chat-outcome';
import { decisionHeaders } from './routing-decision';
import { SseOptions, writeSseStream } from './write-sse-stream';

/** The commit point of every surface: routing headers from the decision, then the body. */
export async function writeChatOutcome(
  res: Response,
  outcome: ChatOutcome,
  options: SseOptions,
): Promise<void> {
  const headers = decisionHeaders(outcome.decision);
  for (const name in headers) res.setHeader(name, headers[name]);
  if (outcome.kind === 'stream') return writeSseStream(res, outcome.events, options);
  res.setHeader('Server-Timing', serverTiming(res.locals.facts, performance.now()));
  res.status(200).json(outcome.body);
}

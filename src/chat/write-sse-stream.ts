import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toGatewayError } from '../common/errors/to-gateway-error';
import { serverTiming } from '../metrics/server-timing';
import type { ChatChunk } from '../providers/llm-types';
import { isUnrequestedUsageChunk, toChunkBody } from './chat-completion.serializer';

export interface SseOptions {
  /** A `: keep-alive` comment goes out when nothing was written for about this long. */
  keepAliveMs: number;
  includeUsage: boolean;
  /** Aborted when the client left: stop quietly. */
  signal: AbortSignal;
  /** Raised while this stream is being written (the in-flight streams gauge). */
  streamsInFlight?: { inc(): void; dec(): void };
}

const logger = new Logger('SseStream');

/**
 * How long a silent provider may keep the response headers back. Headers normally leave with
 * the first event, in one write: flushing them on their own first cost ~0.5 ms of time to
 * first byte in the bench (one more wake-up of the client). A provider slow to start (real
 * models take 100s of ms) still gets the 200 and the routing headers to the client by then.
 */
export const HEADERS_HOLD_MS = 20;

/** Resolves when the socket can take more, or is gone (the loop then stops). */
const writable = (res: Response): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * Relays chunks as SSE on the raw response, one event per chunk as it arrives. Waits for
 * `drain` when the client reads slowly (which pauses reading from the upstream) instead of
 * buffering; a failure after the stream started becomes a final `data: {"error":…}` event.
 */
export async function writeSseStream(
  res: Response,
  chunks: AsyncIterable<ChatChunk>,
  options: SseOptions,
): Promise<void> {
  const facts = res.locals.facts;
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.setHeader('Server-Timing', serverTiming(facts, performance.now()));
  const flushHeaders = setTimeout(() => {
    if (!res.headersSent && !res.destroyed) res.flushHeaders();
  }, HEADERS_HOLD_MS);

  let quiet = true;
  const keepAlive = setInterval(() => {
    if (quiet && !res.destroyed) res.write(': keep-alive\n\n');
    quiet = true;
  }, options.keepAliveMs);
  options.streamsInFlight?.inc();

  try {
    for await (const chunk of chunks) {
      facts.firstChunkAt ??= performance.now();
      if (res.destroyed) return;
      if (isUnrequestedUsageChunk(chunk, options.includeUsage)) continue;
      quiet = false;
      const event = `data: ${JSON.stringify(toChunkBody(chunk, options.includeUsage))}\n\n`;
      const flowing = res.write(event);
      facts.firstByteAt ??= performance.now();
      if (!flowing) await writable(res);
    }
    res.end('data: [DONE]\n\n');
  } catch (error) {
    if (options.signal.aborted || res.destroyed) return;
    const failure = toGatewayError(error);
    facts.upstreamError = failure.code;
    logger.warn(`stream ended by ${failure.code}: ${failure.message}`);
    res.end(`data: ${JSON.stringify(failure.toEnvelope())}\n\n`);
  } finally {
    clearTimeout(flushHeaders);
    clearInterval(keepAlive);
    options.streamsInFlight?.dec();
  }
}

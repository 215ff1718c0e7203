import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toGatewayError } from '../common/errors/to-gateway-error';
import type { ChatChunk } from '../providers/llm-types';
import { isUnrequestedUsageChunk, toChunkBody } from './chat-completion.serializer';

export interface SseOptions {
  /** A `: keep-alive` comment goes out when nothing was written for about this long. */
  keepAliveMs: number;
  includeUsage: boolean;
  /** Aborted when the client left: stop quietly. */
  signal: AbortSignal;
}

const logger = new Logger('SseStream');

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
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let quiet = true;
  const keepAlive = setInterval(() => {
    if (quiet && !res.destroyed) res.write(': keep-alive\n\n');
    quiet = true;
  }, options.keepAliveMs);

  try {
    for await (const chunk of chunks) {
      if (res.destroyed) return;
      if (isUnrequestedUsageChunk(chunk, options.includeUsage)) continue;
      quiet = false;
      const event = `data: ${JSON.stringify(toChunkBody(chunk, options.includeUsage))}\n\n`;
      if (!res.write(event)) await writable(res);
    }
    res.end('data: [DONE]\n\n');
  } catch (error) {
    if (options.signal.aborted || res.destroyed) return;
    const failure = toGatewayError(error);
    logger.warn(`stream ended by ${failure.code}: ${failure.message}`);
    res.end(`data: ${JSON.stringify(failure.toEnvelope())}\n\n`);
  } finally {
    clearInterval(keepAlive);
  }
}

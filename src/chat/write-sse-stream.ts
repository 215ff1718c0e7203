import type { Response } from 'express';
import { serverTiming } from '../metrics/server-timing';

export interface SseOptions {
  /** A `: keep-alive` comment goes out when nothing was written for about this long. */
  keepAliveMs: number;
  /** Raised while this stream is being written (the in-flight streams gauge). */
  streamsInFlight?: { inc(): void; dec(): void };
}

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
 * Writes already-serialized SSE events on the raw response as they come, the headers leaving
 * with the first one. Events that are ready in the same tick (those parsed from one upstream
 * read) leave in one socket write: Node's http corks the socket at each `res.write` until the
 * next `process.nextTick`, which runs as soon as this tick's promise jobs are done, so no event
 * waits for a later one. Waits for `drain` when the client reads slowly (which pauses reading
 * from the upstream) instead of buffering; stops quietly when the client left (leaving the
 * loop ends the events' source, which closes the upstream request).
 */
export async function writeSseStream(
  res: Response,
  events: AsyncIterable<string>,
  options: SseOptions,
): Promise<void> {
  const facts = res.locals.facts;
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.setHeader('Server-Timing', serverTiming(facts, performance.now()));

  let quiet = true;
  const keepAlive = setInterval(() => {
    if (quiet && !res.destroyed) res.write(': keep-alive\n\n');
    quiet = true;
  }, options.keepAliveMs);
  options.streamsInFlight?.inc();
  try {
    for await (const event of events) {
      if (res.destroyed) return;
      quiet = false;
      const flowing = res.write(event);
      facts.firstByteAt ??= performance.now();
      if (!flowing) await writable(res);
    }
    res.end();
  } finally {
    clearInterval(keepAlive);
    options.streamsInFlight?.dec();
  }
}

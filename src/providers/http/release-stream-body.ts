import type { Readable } from 'node:stream';

/**
 * How a streamed upstream body is let go, for every adapter. Destroying closes the upstream
 * request; the error undici emits for it has no reader left.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined).destroy();
}

/**
 * After the stream's last event (`[DONE]`, `message_stop`): reads and drops what follows (the
 * chunked body's end, usually already here) so the connection goes back to the pool; a body
 * still open after `limitMs` is destroyed. A plain timer, not `body.dump({ signal:
 * AbortSignal.timeout() })`: that signal costs a FinalizationRegistry entry per stream.
 */
export function drainBody(body: Readable, limitMs: number): void {
  if (body.readableEnded || body.destroyed) return;
  const timer = setTimeout(() => discardBody(body), limitMs);
  body.once('close', () => clearTimeout(timer));
  body.once('end', () => clearTimeout(timer));
  body.on('error', () => undefined).resume();
}

import type { IncomingMessage } from 'node:http';

export interface DiscardLimits {
  /** Bytes read and dropped at most before the connection is destroyed. */
  maxBytes: number;
  /** Milliseconds at most before the connection is destroyed. */
  maxMs: number;
}

/**
 * Reads and drops the rest of a request body that was already answered (a 413). A client
 * still uploading reads the answer only if the connection stays open: closing a socket with
 * unread bytes makes the kernel send a reset, which Node's fetch and the openai client report
 * as `fetch failed` (EPIPE) instead of the status. A client that keeps sending past either
 * limit has its connection destroyed; one that finishes keeps a clean keep-alive connection.
 */
export function discardRest(req: IncomingMessage, limits: DiscardLimits): void {
  if (req.complete || req.destroyed) return;
  let discarded = 0;
  const cleanup = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', cleanup);
    req.off('close', cleanup);
  };
  const stop = (): void => {
    cleanup();
    req.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > limits.maxBytes) stop();
  };
  const timer = setTimeout(stop, limits.maxMs);
  timer.unref();
  req.on('data', onData);
  req.once('end', cleanup);
  req.once('close', cleanup);
  req.resume();
}

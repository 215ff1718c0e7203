import type { IncomingMessage } from 'node:http';

/** Why a body could not be read: the middleware turns each into its envelope. */
export type Utf8JsonFailure = 'too_large' | 'too_deep' | 'invalid_json' | 'aborted';

export type Utf8JsonResult = { ok: true; body: unknown } | { ok: false; failure: Utf8JsonFailure };

/**
 * Reads a plain UTF-8 JSON body (no Content-Encoding) straight off the request: one Buffer,
 * one decode, one JSON.parse. Stops reading as soon as `limit` bytes are passed; refuses text
 * that `depthExceeded` flags (a byte scan such as `rawDepthExceeds`) before parsing it. Invalid
 * UTF-8 bytes read as U+FFFD and a leading byte order mark is dropped, as body-parser does.
 */
export function readUtf8Json(
  req: IncomingMessage,
  limit: number,
  depthExceeded: (bytes: Uint8Array) => boolean,
  done: (result: Utf8JsonResult) => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;

  const settle = (result: Utf8JsonResult): void => {
    if (settled) return;
    settled = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    req.off('error', onClose);
    done(result);
  };
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received <= limit) {
      chunks.push(chunk);
      return;
    }
    // The rest is never read: the middleware answers 413 and closes the connection.
    req.pause();
    settle({ ok: false, failure: 'too_large' });
  };
  const onEnd = (): void => {
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
    settle(parse(bytes, depthExceeded));
  };
  const onClose = (): void => settle({ ok: false, failure: 'aborted' });

  req.on('data', onData);
  req.once('end', onEnd);
  req.once('close', onClose);
  req.once('error', onClose);
}

function parse(bytes: Buffer, depthExceeded: (bytes: Uint8Array) => boolean): Utf8JsonResult {
  if (bytes.length === 0) return { ok: true, body: {} };
  // A nesting bomb is refused from its bytes, before anything is decoded.
  if (depthExceeded(bytes)) return { ok: false, failure: 'too_deep' };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.toString('utf8', bom ? 3 : 0);
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, failure: 'invalid_json' };
  }
}

import { request } from 'node:http';
import { connect } from 'node:net';
import { ERROR_CODES, ErrorCode } from '../../src/common/errors/error-codes';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request with exactly these headers (fetch adds and normalizes some), on a fresh
 * connection, reading the whole answer as text.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: options.headers,
      agent: false,
    });
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (piece: string) => (text += piece));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.once('error', reject);
    });
    req.end(options.body);
  });
}

/** What a raw TCP exchange showed: what came back, and when (ms after the first write). */
export interface SocketExchange {
  received: string;
  firstByteAfterMs: number | null;
  closedAfterMs: number | null;
}

/**
 * Writes `head` (request line, headers, blank line, perhaps a little body) on a raw socket and
 * then sends nothing more, for up to `waitMs`: shows whether the server answers and closes
 * without waiting for the rest of a body it was promised.
 */
export function socketExchange(
  port: number,
  head: string,
  waitMs: number,
  onFirstByte?: (write: (data: string) => boolean) => void,
): Promise<SocketExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = Date.now();
    const result: SocketExchange = { received: '', firstByteAfterMs: null, closedAfterMs: null };
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (data: Buffer) => {
      if (result.firstByteAfterMs === null) {
        result.firstByteAfterMs = Date.now() - started;
        onFirstByte?.((more) => socket.write(more));
      }
      result.received += data.toString('utf8');
    });
    socket.on('error', () => undefined); // a reset after the answer is what we test for
    socket.once('close', () => {
      clearTimeout(timer);
      if (Date.now() - started < waitMs) result.closedAfterMs = Date.now() - started;
      resolve(result);
    });
    socket.write(head);
  });
}

/**
 * The error envelope, exactly, with a status that matches the catalogue entry of its code.
 * Returns the code. Throws (for fast-check) instead of using expect.
 */
export function assertEnvelope(status: number, text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`status ${status}: body is not JSON: ${text.slice(0, 200)}`);
  }
  const keys = Object.keys(body as object);
  const error = (body as { error?: Record<string, unknown> }).error;
  if (keys.length !== 1 || keys[0] !== 'error' || typeof error !== 'object' || error === null) {
    throw new Error(`status ${status}: not an envelope: ${text.slice(0, 200)}`);
  }
  const fields = Object.keys(error).sort().join(',');
  if (fields !== 'code,message,param,type') throw new Error(`envelope fields: ${fields}`);
  const code = error.code as ErrorCode;
  const entry = ERROR_CODES[code];
  if (entry === undefined) throw new Error(`unknown code ${String(error.code)}`);
  if (entry.status !== status || entry.type !== error.type) {
    throw new Error(`code ${code} came with status ${status} and type ${String(error.type)}`);
  }
  if (typeof error.message !== 'string' || /\n\s+at |node_modules|\.ts:\d+/.test(error.message)) {
    throw new Error(`bad message: ${String(error.message)}`);
  }
  if (error.param !== null && typeof error.param !== 'string') throw new Error('bad param');
  return code;
}

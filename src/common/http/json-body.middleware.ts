import type { IncomingMessage } from 'node:http';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { GatewayError } from '../errors/gateway-error';
import { isPlainObject, notAnObject } from '../validation/json-object';
import { discardRest } from './discard-rest';
import { readUtf8Json, Utf8JsonFailure } from './read-utf8-json';

/** Deeper JSON than this is refused: no legitimate chat request nests anywhere near it. */
export const MAX_JSON_DEPTH = 64;
/**
 * More keys than this in one JSON object is refused: class-transformer de-duplicates an
 * object's keys with indexOf, so 100,000 keys blocked the event loop for 8 s.
 */
export const MAX_OBJECT_KEYS = 1_000;

/**
 * After a 413, how much of the rest of the body is read and dropped so a client still
 * uploading can read the answer (see discardRest), before the connection is destroyed.
 */
export const DISCARD_AFTER_413 = { maxBytes: 64 * 1024 * 1024, maxMs: 1_000 };

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const TOO_DEEP = 'json.too.deep';

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * The common case, read without body-parser: no Content-Encoding and UTF-8 (no charset, or
 * exactly `charset=utf-8`). Anything else (gzip, UTF-16, other parameters) takes body-parser's
 * path, which inflates, decodes or refuses it.
 */
function isPlainUtf8(req: Request): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const contentType = req.headers['content-type'] ?? '';
  const semicolon = contentType.indexOf(';');
  return semicolon === -1 || PLAIN_UTF8_PARAMS.test(contentType.slice(semicolon + 1));
}

const PLAIN_UTF8_PARAMS = /^[ \t]*charset[ \t]*=[ \t]*"?utf-8"?[ \t]*$/i;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The Content-Length the client announced, when the body is framed by one. */
function declaredLength(req: Request): number | undefined {
  const length = req.headers['content-length'];
  if (length === undefined || req.headers['transfer-encoding'] !== undefined) return undefined;
  const bytes = Number(length);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * Why a parsed body is refused (too deep, an object too wide), or null. Iterative, so hostile
 * nesting cannot overflow the stack while being measured.
 */
export function shapeProblem(value: unknown, maxDepth: number, maxKeys: number): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return `Request body nests deeper than ${maxDepth} levels.`;
    const children = Object.values(node);
    if (!Array.isArray(node) && children.length > maxKeys) {
      return `Request body has an object with more than ${maxKeys} keys.`;
    }
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return null;
}

/**
 * Whether UTF-8 JSON text opens more than `maxDepth` arrays/objects at once: a byte scan that
 * stops early, so a million-deep body is refused before JSON.parse builds a million arrays.
 */
export function rawDepthExceeds(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      // A backslash escapes the next byte (which may be a quote or another backslash).
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}

function verifyDepth(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  // Byte-level structure only holds for UTF-8; other charsets are checked after parsing.
  if (encoding.toLowerCase() !== 'utf-8' || !rawDepthExceeds(body, MAX_JSON_DEPTH)) return;
  throw Object.assign(new Error('JSON nests too deep'), { type: TOO_DEEP });
}

const tooLarge = (limit: number): GatewayError =>
  new GatewayError('payload_too_large', `Request body exceeds ${limit} bytes.`);

const tooDeep = (): GatewayError =>
  new GatewayError('invalid_json', `Request body nests deeper than ${MAX_JSON_DEPTH} levels.`);

const notJson = (cause?: unknown): GatewayError =>
  new GatewayError('invalid_json', 'Request body is not valid JSON.', { cause });

const depthExceeded = (bytes: Uint8Array): boolean => rawDepthExceeds(bytes, MAX_JSON_DEPTH);

function readFailure(failure: Exclude<Utf8JsonFailure, 'too_large'>): GatewayError {
  return failure === 'too_deep' ? tooDeep() : notJson();
}

function bodyError(error: { type?: string; status?: number }, limit: number): GatewayError {
  switch (error.type) {
    case 'entity.too.large':
      return tooLarge(limit);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError('unsupported_media_type', 'Unsupported body encoding or charset.');
    case TOO_DEEP:
      return tooDeep();
    default:
      return notJson(error);
  }
}

/**
 * JSON body parsing with the gateway's rules: a byte limit (413 as soon as the limit is
 * known to be passed, then the rest is dropped for a bounded time and size), 415 for a body
 * that is not JSON, limits on nesting and object width, and every parser failure turned into
 * the error envelope rather than Express's defaults.
 */
export function jsonBodyMiddleware(limit: number): RequestHandler {
  const parse = express.json({ limit, strict: false, type: () => true, verify: verifyDepth });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) return next();
    if (!isJsonType(req.headers['content-type'])) {
      return next(
        new GatewayError('unsupported_media_type', 'Content-Type must be application/json.'),
      );
    }
    let settled = false;
    let received = 0;
    const settle = (error?: GatewayError): void => {
      if (settled) return;
      settled = true;
      req.off('data', count);
      next(error);
    };
    // body-parser answers a body over the limit only once it has read (and discarded) all
    // of it, which a client may never finish sending: answer at once instead, and drop what
    // still arrives for a bounded time so the client can read the answer.
    const refuse = (): void => {
      if (settled) return;
      discardRest(req, DISCARD_AFTER_413);
      settle(tooLarge(limit));
    };
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) refuse();
    };
    const checkShape = (): void => {
      // Valid JSON that is not an object (`[1]`, `"text"`, `null`) is a request of the wrong shape.
      if (!isPlainObject(req.body)) return settle(notAnObject());
      const problem = shapeProblem(req.body, MAX_JSON_DEPTH, MAX_OBJECT_KEYS);
      settle(problem === null ? undefined : new GatewayError('invalid_json', problem));
    };
    const declared = declaredLength(req);
    if (declared !== undefined && declared > limit) return refuse();

    if (isPlainUtf8(req)) {
      return readUtf8Json(req, limit, depthExceeded, (result) => {
        if (result.ok) {
          req.body = result.body;
          return checkShape();
        }
        if (result.failure === 'too_large') return refuse();
        settle(readFailure(result.failure));
      });
    }
    parse(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        const failure = bodyError(error, limit);
        if (failure.code === 'payload_too_large') return refuse();
        return settle(failure);
      }
      checkShape();
    });
    // A chunked body has no declared length: count it as it arrives.
    if (declared === undefined && !settled) req.on('data', count);
  };
}

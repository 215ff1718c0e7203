import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { GatewayError } from '../errors/gateway-error';

/** Deeper JSON than this is refused: no legitimate chat request nests anywhere near it. */
export const MAX_JSON_DEPTH = 64;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Iterative, so hostile nesting cannot overflow the stack while being measured. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

function bodyError(error: { type?: string; status?: number }, limit: number): GatewayError {
  switch (error.type) {
    case 'entity.too.large':
      return new GatewayError('payload_too_large', `Request body exceeds ${limit} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError('unsupported_media_type', 'Unsupported body encoding or charset.');
    default:
      return new GatewayError('invalid_json', 'Request body is not valid JSON.', { cause: error });
  }
}

/**
 * JSON body parsing with the gateway's rules: a byte limit (413 before the rest is read),
 * 415 for a body that is not JSON, a nesting limit, and every parser failure turned into the
 * error envelope rather than Express's defaults.
 */
export function jsonBodyMiddleware(limit: number): RequestHandler {
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) return next();
    if (!isJsonType(req.headers['content-type'])) {
      return next(
        new GatewayError('unsupported_media_type', 'Content-Type must be application/json.'),
      );
    }
    parse(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        // The client may still be sending: stop reading rather than buffer what we refuse.
        if ((error as { type?: string }).type === 'entity.too.large')
          res.setHeader('Connection', 'close');
        return next(bodyError(error, limit));
      }
      if (exceedsDepth(req.body, MAX_JSON_DEPTH)) {
        return next(
          new GatewayError(
            'invalid_json',
            `Request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
          ),
        );
      }
      next();
    });
  };
}

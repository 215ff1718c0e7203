import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const SAFE_ID = /^[\w.:@-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requestIdMiddleware: the caller's `x-request-id` when well-formed, else a UUID. */
    requestId: string;
  }
}

/** Reuses a well-formed inbound `x-request-id` (so traces join up) and echoes it back. */
export function requestIdMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const inbound = req.headers['x-request-id'];
    req.requestId = typeof inbound === 'string' && SAFE_ID.test(inbound) ? inbound : randomUUID();
    res.setHeader('x-request-id', req.requestId);
    next();
  };
}

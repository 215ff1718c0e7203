import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GatewayError } from '../common/errors/gateway-error';
import { secretMatcher } from '../common/security/secret-matcher';

/**
 * With DOCS_API_KEY set, everything under /native/docs (the UI, its assets, its init script
 * that embeds the spec, and openapi.json) needs `x-docs-key`; 401 in the error envelope
 * otherwise. Swagger's routes are plain Express routes, so this is middleware, not a guard.
 */
export function docsKeyMiddleware(docsKey: string): RequestHandler {
  const matches = secretMatcher(docsKey);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const presented = req.headers['x-docs-key'];
    if (presented === undefined) {
      return next(
        new GatewayError('missing_api_key', 'Send the docs key in the x-docs-key header.'),
      );
    }
    if (!matches(presented)) return next(new GatewayError('invalid_api_key', 'Invalid docs key.'));
    next();
  };
}

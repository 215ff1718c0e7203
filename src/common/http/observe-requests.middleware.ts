import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CompletedRequest, describeCompletedRequest } from './completed-request';
import { newRequestFacts } from './request-facts';

/** Told about every request once its response has closed (finished or abandoned). */
export type RequestObserver = (request: CompletedRequest) => void;

const logger = new Logger('ObserveRequests');

/**
 * Mounted first: starts the request's clock and facts, and reports the request to each observer
 * when the response closes. One listener per request serves metrics and the log line alike, and
 * requests refused by later middleware (413, 415, draining) are reported too.
 */
export function observeRequestsMiddleware(observers: readonly RequestObserver[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const facts = newRequestFacts();
    res.locals.facts = facts;
    res.once('close', () => {
      const completed = describeCompletedRequest(req, res, facts, performance.now());
      for (const observe of observers) {
        // A throw here would be an uncaught exception in an event listener: the whole process.
        try {
          observe(completed);
        } catch (error) {
          logger.error(`request observer failed: ${(error as Error).message}`);
        }
      }
    });
    next();
  };
}

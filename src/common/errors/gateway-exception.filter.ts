import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toGatewayError } from './to-gateway-error';

/**
 * The one place errors become HTTP responses (README "Responses and errors"). Registered as APP_FILTER so tests run
 * the production pipeline. Internal errors are logged by name and message only.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GatewayExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const error = toGatewayError(exception);
    // For the request log line and the session outcome metric (see observeRequestsMiddleware).
    if (res.locals.facts !== undefined) res.locals.facts.errorCode = error.code;
    if (error.code === 'internal_error') {
      const cause = error.cause instanceof Error ? error.cause : undefined;
      this.logger.error(
        `unhandled ${cause?.name ?? typeof error.cause}: ${cause?.message ?? 'no message'}`,
      );
    }
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    if (error.headers !== undefined) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    }
    if (error.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    res.status(error.status).json(error.toEnvelope());
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import type { CompletedRequest } from '../common/http/completed-request';
import { ROOT_LOGGER } from './root-logger';

/** Probes and scrapes arrive every few seconds: logged at debug, so they do not drown the rest. */
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

const ms = (value: number | undefined): number | undefined =>
  value === undefined ? undefined : Math.round(value * 1000) / 1000;

/**
 * One JSON line per request, written when its response closes (see observeRequestsMiddleware):
 * who asked, what served it, how it ended and where the time went. Never headers or bodies.
 */
@Injectable()
export class RequestLogService {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  /** A RequestObserver. */
  readonly log = (request: CompletedRequest): void => {
    const level: Level =
      request.status >= 500 ? 'error' : QUIET_ROUTES.has(request.route) ? 'debug' : 'info';
    if (!this.logger.isLevelEnabled(level)) return;
    this.logger[level](
      {
        request_id: request.requestId,
        method: request.method,
        client_ip: request.clientIp,
        route: request.route,
        path: request.path,
        status: request.status,
        external_id: request.externalId,
        provider: request.provider,
        model: request.model,
        session: request.session,
        mode: request.mode,
        error_code: request.errorCode,
        upstream_error: request.upstreamError,
        duration_ms: ms(request.durationMs),
        upstream_ms: ms(request.upstreamMs),
        gateway_ms: ms(request.gatewayMs),
        ttfb_ms: ms(request.ttfbMs),
      },
      'request completed',
    );
  };
}

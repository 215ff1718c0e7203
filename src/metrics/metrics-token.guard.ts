import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { GatewayError } from '../common/errors/gateway-error';
import { secretMatcher } from '../common/security/secret-matcher';
import { metricsConfig } from '../config/metrics.config';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * With METRICS_TOKEN set, GET /metrics needs `Authorization: Bearer <token>` (what Prometheus
 * sends with `authorization: { credentials: … }`); without it the route is open.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly matches?: (presented: unknown) => boolean;

  constructor(@Inject(metricsConfig.KEY) config: ConfigType<typeof metricsConfig>) {
    if (config.token !== undefined) this.matches = secretMatcher(config.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.matches === undefined) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      throw new GatewayError(
        'missing_api_key',
        'Send the metrics token as "Authorization: Bearer <token>".',
      );
    }
    if (!this.matches(token)) throw new GatewayError('invalid_api_key', 'Invalid metrics token.');
    return true;
  }
}

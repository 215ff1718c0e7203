import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { GatewayError } from '../common/errors/gateway-error';
import { bearerToken } from '../common/security/bearer-token';
import { secretMatcher } from '../common/security/secret-matcher';
import { metricsConfig } from '../config/metrics.config';

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
    const token = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
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

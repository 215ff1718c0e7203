import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { GatewayError } from '../common/errors/gateway-error';
import { secretMatcher } from '../common/security/secret-matcher';
import { authConfig } from '../config/auth.config';

/**
 * `/debug/*` exists only with DEBUG_ENDPOINTS=true and a matching `x-admin-key`; in every other
 * case the route answers 404, so probing does not even reveal that it exists.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly matches?: (presented: unknown) => boolean;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    if (config.debugEndpoints && config.adminApiKey !== undefined) {
      this.matches = secretMatcher(config.adminApiKey);
    }
  }

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<Request>().headers['x-admin-key'];
    const allowed = this.matches?.(presented) === true;
    if (!allowed) throw new GatewayError('not_found', 'Not found.');
    return true;
  }
}

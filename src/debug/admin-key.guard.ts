import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { GatewayError } from '../common/errors/gateway-error';
import { authConfig } from '../config/auth.config';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * `/debug/*` exists only with DEBUG_ENDPOINTS=true and a matching `x-admin-key`; in every other
 * case the route answers 404, so probing does not even reveal that it exists.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    if (config.debugEndpoints && config.adminApiKey !== undefined) {
      this.expected = digest(config.adminApiKey);
    }
  }

  canActivate(context: ExecutionContext): boolean {
    const presented = context.switchToHttp().getRequest<Request>().headers['x-admin-key'];
    // Fixed-length digests: timingSafeEqual throws on unequal lengths (FIELD-NOTES).
    const allowed =
      this.expected !== undefined &&
      typeof presented === 'string' &&
      timingSafeEqual(digest(presented), this.expected);
    if (!allowed) throw new GatewayError('not_found', 'Not found.');
    return true;
  }
}

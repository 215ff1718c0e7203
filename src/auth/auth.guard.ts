import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayError } from '../common/errors/gateway-error';
import { bearerToken } from '../common/security/bearer-token';
import { AUTH_STRATEGIES, AuthStrategy } from './auth-strategy.interface';
import type { Caller } from './caller';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by AuthGuard on authenticated routes. */
    caller?: Caller;
  }
}

/** `Authorization: Bearer <credential>` on every /native route (README "The native API"). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(AUTH_STRATEGIES) private readonly strategies: AuthStrategy[]) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const bearer = bearerToken(req.headers.authorization);
    if (bearer === undefined) {
      throw new GatewayError(
        'missing_api_key',
        'Missing API key: send "Authorization: Bearer <key>".',
      );
    }
    for (const strategy of this.strategies) {
      const caller = await strategy.authenticate(bearer);
      if (caller !== null) {
        req.caller = caller;
        return true;
      }
    }
    throw new GatewayError('invalid_api_key', 'Invalid API key.');
  }
}

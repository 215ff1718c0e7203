import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Caller } from './caller';

/** The authenticated Caller; only on routes behind AuthGuard. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<Request>().caller;
  if (caller === undefined) throw new Error('CurrentCaller used on a route without AuthGuard');
  return caller;
});

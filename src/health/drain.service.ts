import { Injectable } from '@nestjs/common';
import { GatewayError } from '../common/errors/gateway-error';

/** What a request (or readiness probe) gets while draining: 503, retry elsewhere in a second. */
export const shuttingDown = (): GatewayError =>
  new GatewayError('shutting_down', 'The gateway is shutting down.', { retryAfterSeconds: 1 });

/**
 * Whether the gateway is shutting down. While draining, readiness reports 503 (so load
 * balancers stop sending) and new requests are refused with `shutting_down`.
 */
@Injectable()
export class DrainService {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  begin(): void {
    this.drainingSince ??= Date.now();
  }
}

import { Injectable } from '@nestjs/common';

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

import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { GatewayError } from '../common/errors/gateway-error';
import { CacheHealthIndicator } from './cache.health';
import { DrainService } from './drain.service';

/** Liveness (the process answers) and readiness (it can serve: store reachable, not draining). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly cache: CacheHealthIndicator,
    private readonly drain: DrainService,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    if (this.drain.draining)
      throw new GatewayError('shutting_down', 'The gateway is shutting down.');
    try {
      return await this.health.check([() => this.cache.check()]);
    } catch {
      throw new GatewayError('not_ready', 'Not ready: the session store is unreachable.', {
        retryAfterSeconds: 1,
      });
    }
  }
}

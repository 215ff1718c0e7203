import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { GatewayError } from '../common/errors/gateway-error';
import { ApiGatewayErrors } from '../docs/api-gateway-errors.decorator';
import { CacheHealthIndicator } from './cache.health';
import { DrainService, shuttingDown } from './drain.service';

/** Liveness (the process answers) and readiness (it can serve: store reachable, not draining). */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly cache: CacheHealthIndicator,
    private readonly drain: DrainService,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'liveness', summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'Alive.', schema: { type: 'object', example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // Terminus would document its own 503 body; ours is the error envelope.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'readiness',
    summary: 'Readiness: the session store answers a ping and the gateway is not shutting down',
  })
  @ApiOkResponse({
    description: 'Ready (terminus health check result).',
    schema: {
      type: 'object',
      example: {
        status: 'ok',
        info: { cache: { status: 'up', backend: 'redis' } },
        error: {},
        details: { cache: { status: 'up', backend: 'redis' } },
      },
    },
  })
  @ApiGatewayErrors('not_ready', 'shutting_down')
  async ready(): Promise<HealthCheckResult> {
    if (this.drain.draining) throw shuttingDown();
    try {
      return await this.health.check([() => this.cache.check()]);
    } catch {
      throw new GatewayError('not_ready', 'Not ready: the session store is unreachable.', {
        retryAfterSeconds: 1,
      });
    }
  }
}

import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { ApiGatewayErrors } from '../docs/api-gateway-errors.decorator';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/** `GET /metrics`: Prometheus text exposition of this instance's registry. */
@ApiTags('operations')
@Controller('metrics')
@UseGuards(MetricsTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  // Either the token or nothing: it is needed only when METRICS_TOKEN is set.
  @ApiSecurity('metrics_token')
  @ApiSecurity({})
  @ApiOperation({
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description: 'Needs `Authorization: Bearer $METRICS_TOKEN` when METRICS_TOKEN is set.',
  })
  @ApiOkResponse({
    description: 'The Prometheus text format (families listed in the README).',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP sentinel_session_outcomes_total Chat requests by conversation binding outcome\n' +
          '# TYPE sentinel_session_outcomes_total counter\n' +
          'sentinel_session_outcomes_total{outcome="created"} 42\n',
      },
    },
  })
  @ApiGatewayErrors('missing_api_key', 'invalid_api_key')
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}

import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminKeyGuard } from '../debug/admin-key.guard';
import { ApiGatewayErrors } from '../docs/api-gateway-errors.decorator';
import { DeploymentListSchema } from '../docs/schemas/deployment-list.schema';
import { DeploymentTable } from './deployments/deployment-table';
import { FleetHealth } from './health/fleet-health.service';
import { LocalStatsTracker } from './strategies/local-stats-tracker';

export interface DeploymentState {
  id: string;
  provider: string;
  /** Null for an implicit deployment (it serves any model of its provider). */
  model: string | null;
  origin: string | null;
  weight: number;
  priority: number;
  groups: string[];
  state: 'closed' | 'open' | 'half_open';
  /** While open: milliseconds until the cooldown ends. */
  cooldown_remaining_ms: number | null;
  /** While open: why (`rate_limit`, `server`, `timeout`, `terminal`). */
  reason: string | null;
  consecutive_failures: number;
  /** This instance's requests in flight and smoothed latency. */
  in_flight: number;
  latency_ms: number | null;
}

/** `GET /native/v1/deployments`: every deployment and its health, for operators. */
@ApiTags('operations')
@ApiSecurity('admin_key')
@Controller('native/v1')
@UseGuards(AdminKeyGuard)
export class DeploymentsController {
  constructor(
    private readonly table: DeploymentTable,
    private readonly health: FleetHealth,
    private readonly stats: LocalStatsTracker,
  ) {}

  @Get('deployments')
  @ApiOperation({
    operationId: 'listDeployments',
    summary: 'Every deployment with its fleet-wide health',
    description:
      'Exists only with `DEBUG_ENDPOINTS=true` and `x-admin-key: $ADMIN_API_KEY`, like `/debug`; ' +
      'answers 404 otherwise. Health is this instance’s view (synced every ROUTING_HEALTH_SYNC_MS).',
  })
  @ApiOkResponse({ description: 'The deployments.', type: DeploymentListSchema })
  @ApiGatewayErrors('not_found')
  list(): { object: 'list'; data: DeploymentState[] } {
    const records = this.health.entries();
    const data = this.table.deployments.map((d): DeploymentState => {
      const availability = this.health.availability(d.id);
      const groups = [...this.table.groups.values()]
        .filter((g) => g.members.includes(d))
        .map((g) => g.name as string);
      return {
        id: d.id,
        provider: d.provider,
        model: d.model ?? null,
        origin: d.origin ?? null,
        weight: d.weight,
        priority: d.priority,
        groups,
        state: availability.state,
        cooldown_remaining_ms: availability.state === 'open' ? availability.remainingMs : null,
        reason: availability.state === 'open' ? (availability.reason ?? null) : null,
        consecutive_failures: records.get(d.id)?.consecutive ?? 0,
        in_flight: this.stats.inFlight(d.id),
        latency_ms: this.stats.latencyMs(d.id) ?? null,
      };
    });
    return { object: 'list', data };
  }
}

import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { ProvidersModule } from '../providers/providers.module';
import { AdminKeyGuard } from '../debug/admin-key.guard';
import { PICKER, type Picker } from './attempts/attempt-planner';
import { HEALTH_LOOKUP } from './attempts/health-lookup';
import { DeploymentsController } from './deployments.controller';
import { DeploymentTable } from './deployments/deployment-table';
import { FleetHealth } from './health/fleet-health.service';
import { healthStoreProvider } from './health/health-store.provider';
import { LocalStatsTracker } from './strategies/local-stats-tracker';
import { pickDeployment } from './strategies/pick-deployment';

/** Deployments, groups and tiers; the fleet's shared health; how a deployment is picked. */
@Module({
  imports: [MetricsModule, ProvidersModule],
  controllers: [DeploymentsController],
  providers: [
    AdminKeyGuard,
    DeploymentTable,
    healthStoreProvider,
    FleetHealth,
    { provide: HEALTH_LOOKUP, useExisting: FleetHealth },
    { provide: LocalStatsTracker, useFactory: (): LocalStatsTracker => new LocalStatsTracker() },
    {
      provide: PICKER,
      useFactory:
        (stats: LocalStatsTracker): Picker =>
        (strategy, candidates) =>
          pickDeployment(strategy, candidates, stats, Math.random) as
            (typeof candidates)[number] | undefined,
      inject: [LocalStatsTracker],
    },
  ],
  exports: [DeploymentTable, HEALTH_LOOKUP, FleetHealth, PICKER, LocalStatsTracker],
})
export class RoutingModule {}

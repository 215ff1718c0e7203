import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { PICKER, Picker } from './attempts/attempt-planner';
import { HEALTH_LOOKUP, HealthLookup } from './attempts/health-lookup';
import { DeploymentTable } from './deployments/deployment-table';

/** Interim until shared health lands: the implicit deployments never cool down. */
const noCooldowns: HealthLookup = {
  availability: () => ({ state: 'closed' }),
  tryProbe: () => Promise.resolve(true),
  noteFailure: () => undefined,
  noteSuccess: () => undefined,
};

const firstWeighted: Picker = (_strategy, candidates) => {
  const total = candidates.reduce((sum, d) => sum + d.weight, 0);
  let point = Math.random() * total;
  for (const candidate of candidates) if ((point -= candidate.weight) < 0) return candidate;
  return candidates[0];
};

/** Deployments, groups and tiers, their health, and how a deployment is picked. */
@Module({
  imports: [ProvidersModule],
  providers: [
    DeploymentTable,
    { provide: HEALTH_LOOKUP, useValue: noCooldowns },
    { provide: PICKER, useValue: firstWeighted },
  ],
  exports: [DeploymentTable, HEALTH_LOOKUP, PICKER],
})
export class RoutingModule {}

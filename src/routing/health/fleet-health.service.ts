import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { providersConfig } from '../../config/providers.config';
import { MetricsService } from '../../metrics/metrics.service';
import type { Availability, HealthFailure, HealthLookup } from '../attempts/health-lookup';
import type { HealthPolicy } from '../config/routing-config';
import type { DeploymentHealth } from './deployment-health';
import { HEALTH_STORE, HealthStore } from './health-store.interface';
import { HealthView } from './health-view';

/**
 * This instance's view of the fleet's deployment health (HEALTH_LOOKUP): synced from the
 * shared HealthStore every ROUTING_HEALTH_SYNC_MS, read synchronously on the hot path.
 */
@Injectable()
export class FleetHealth implements HealthLookup, OnModuleInit, OnApplicationShutdown {
  readonly view: HealthView;

  constructor(
    @Inject(HEALTH_STORE) private readonly store: HealthStore,
    @Inject(providersConfig.KEY) config: ConfigType<typeof providersConfig>,
    private readonly metrics: MetricsService,
  ) {
    this.view = new HealthView(store, { syncMs: config.routing.healthSyncMs });
  }

  onModuleInit(): Promise<void> {
    return this.view.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.view.stop();
    await this.store.shutdown();
  }

  availability(id: string): Availability {
    return this.view.availability(id);
  }

  tryProbe(id: string): Promise<boolean> {
    return this.view.tryProbe(id);
  }

  noteFailure(id: string, failure: HealthFailure, policy: HealthPolicy): void {
    const before = this.view.availability(id);
    const after = this.view.noteFailure(id, failure, policy);
    const until = before.state === 'open' ? this.nowMs() + before.remainingMs : 0;
    if (after.untilMs > this.nowMs() && after.untilMs > until + 1) {
      this.metrics.cooldown(id, after.reason ?? failure.cls);
    }
  }

  noteSuccess(id: string): void {
    this.view.noteSuccess(id);
  }

  /** Every deployment with a record (cooling, or failing without a cooldown yet). */
  entries(): ReadonlyMap<string, DeploymentHealth> {
    return this.view.entries();
  }

  /** The store's clock, as this instance estimates it. */
  nowMs(): number {
    return this.view.nowMs();
  }
}

import { Global, Module } from '@nestjs/common';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** The app's Prometheus registry and GET /metrics; global so any feature can record. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsTokenGuard],
  exports: [MetricsService],
})
export class MetricsModule {}

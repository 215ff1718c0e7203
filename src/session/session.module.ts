import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuthModule } from '../auth/auth.module';
import { CacheModule } from '../cache/cache.module';
import { CACHE_BACKEND, CacheBackend } from '../cache/cache-backend.interface';
import { sessionConfig } from '../config/session.config';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsService } from '../metrics/metrics.service';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';

/**
 * Conversation bindings; needs CACHE_BACKEND from CacheModule. The store is wrapped
 * for metrics here rather than in the cache factory, so a backend substituted for the token
 * (as e2e tests do) is measured too.
 */
@Module({
  imports: [AuthModule, CacheModule, MetricsModule],
  controllers: [SessionsController],
  providers: [
    {
      provide: SessionService,
      useFactory: (
        cache: CacheBackend,
        config: ConfigType<typeof sessionConfig>,
        metrics: MetricsService,
      ): SessionService => new SessionService(metrics.instrumentCache(cache), config),
      inject: [CACHE_BACKEND, sessionConfig.KEY, MetricsService],
    },
  ],
  exports: [SessionService],
})
export class SessionModule {}

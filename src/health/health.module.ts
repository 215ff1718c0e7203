import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '../cache/cache.module';
import { CacheHealthIndicator } from './cache.health';
import { DrainService } from './drain.service';
import { HealthController } from './health.controller';

@Module({
  imports: [CacheModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [CacheHealthIndicator, DrainService],
  exports: [DrainService],
})
export class HealthModule {}

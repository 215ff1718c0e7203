import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { CacheBackend } from '../cache/cache-backend.interface';
import { InjectCacheBackend } from '../cache/inject-cache-backend.decorator';

/** The session store answers a ping (bounded by the backend's command timeout). */
@Injectable()
export class CacheHealthIndicator {
  constructor(
    @InjectCacheBackend() private readonly cache: CacheBackend,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult<'cache'>> {
    const indicator = this.indicators.check('cache');
    try {
      await this.cache.ping();
      return indicator.up({ backend: this.cache.kind });
    } catch {
      return indicator.down({ backend: this.cache.kind, message: 'unreachable' });
    }
  }
}

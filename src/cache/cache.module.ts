import { Module, OnApplicationShutdown } from '@nestjs/common';
import { CACHE_BACKEND, CacheBackend } from './cache-backend.interface';
import { cacheBackendProvider } from './cache-backend.provider';
import { InjectCacheBackend } from './inject-cache-backend.decorator';

/**
 * Provides `CACHE_BACKEND` (memory or Redis, per `CACHE_BACKEND`) to the modules that import it and releases
 * it on shutdown; needs the global config namespaces (AppConfigModule). Tests override the token.
 */
@Module({
  providers: [cacheBackendProvider],
  exports: [CACHE_BACKEND],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(@InjectCacheBackend() private readonly backend: CacheBackend) {}

  async onApplicationShutdown(): Promise<void> {
    await this.backend.shutdown();
  }
}

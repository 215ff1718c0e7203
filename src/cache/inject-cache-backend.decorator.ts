import { Inject } from '@nestjs/common';
import { CACHE_BACKEND } from './cache-backend.interface';

/** Injects the configured CacheBackend (`@InjectCacheBackend() cache: CacheBackend`). */
export const InjectCacheBackend = (): PropertyDecorator & ParameterDecorator =>
  Inject(CACHE_BACKEND);

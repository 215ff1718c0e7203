import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { cacheConfig } from './cache.config';
import { docsConfig } from './docs.config';
import { metricsConfig } from './metrics.config';
import { redisConnectionConfig } from '../redis/redis-connection.config';
import { providersConfig } from './providers.config';
import { sessionConfig } from './session.config';

/**
 * Loads `.env` (real environment variables win) and exposes one typed namespace per feature.
 * Under Jest (NODE_ENV=test) `.env` is ignored: tests set exactly what they need.
 */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: [
        appConfig,
        authConfig,
        cacheConfig,
        docsConfig,
        metricsConfig,
        providersConfig,
        redisConnectionConfig,
        sessionConfig,
      ],
    }),
  ],
})
export class AppConfigModule {}

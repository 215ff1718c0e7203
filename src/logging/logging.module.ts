import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { appConfig } from '../config/app.config';
import { RequestLogService } from './request-log.service';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

/**
 * pino from the validated config (LOG_LEVEL; pretty only with NODE_ENV=development), behind
 * nestjs-pino's Logger so every Nest `Logger` writes JSON too. nestjs-pino's own per-request
 * middleware is not mounted (`forRoutes: []`): it would run after configureApp's middleware
 * (missing requests refused there) and enter an AsyncLocalStorage per request; the request
 * line comes from RequestLogService instead.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
  providers: [
    { provide: ROOT_LOGGER, useFactory: createRootLogger, inject: [appConfig.KEY] },
    RequestLogService,
  ],
  exports: [ROOT_LOGGER, RequestLogService],
})
export class LoggingModule {}

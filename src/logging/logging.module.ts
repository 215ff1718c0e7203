import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { RequestLogService } from './request-log.service';
import { ROOT_LOGGER } from './root-logger';
import { RootLoggerModule } from './root-logger.module';

/**
 * pino from the validated config (LOG_LEVEL; pretty only with NODE_ENV=development), behind
 * nestjs-pino's Logger so every Nest `Logger` writes JSON too. nestjs-pino's own per-request
 * middleware is not mounted (`forRoutes: []`): it would run after configureApp's middleware
 * (missing requests refused there) and enter an AsyncLocalStorage per request; the request
 * line comes from RequestLogService instead.
 */
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
  providers: [RequestLogService],
  exports: [RootLoggerModule, RequestLogService],
})
export class LoggingModule {}

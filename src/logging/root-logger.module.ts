import { Module } from '@nestjs/common';
import { appConfig } from '../config/app.config';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

/** The one pino root logger, for nestjs-pino's module and the request log. */
@Module({
  providers: [{ provide: ROOT_LOGGER, useFactory: createRootLogger, inject: [appConfig.KEY] }],
  exports: [ROOT_LOGGER],
})
export class RootLoggerModule {}

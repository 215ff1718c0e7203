import { Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CacheModule } from './cache/cache.module';
import { ChatModule } from './chat/chat.module';
import { ChatCompletionRequestDto } from './chat/dto/chat-completion-request.dto';
import { isCommonChatBody } from './chat/dto/common-chat-body';
import { GatewayExceptionFilter } from './common/errors/gateway-exception.filter';
import { createValidationPipe } from './common/validation/create-validation-pipe';
import { AppConfigModule } from './config/app-config.module';
import { DebugModule } from './debug/debug.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsModule } from './models/models.module';
import { SessionModule } from './session/session.module';
import { OpenAiV1Module } from './surfaces/openai-v1/openai-v1.module';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    MetricsModule,
    CacheModule,
    HealthModule,
    SessionModule,
    ChatModule,
    ModelsModule,
    OpenAiV1Module,
    DebugModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: GatewayExceptionFilter },
    {
      provide: APP_PIPE,
      // The chat request's common shape skips class-transformer/class-validator (both surfaces).
      useFactory: (): ValidationPipe =>
        createValidationPipe(new Map([[ChatCompletionRequestDto, isCommonChatBody]])),
    },
  ],
})
export class AppModule {}

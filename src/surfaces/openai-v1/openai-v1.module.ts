import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { ChatModule } from '../../chat/chat.module';
import { ModelsModule } from '../../models/models.module';
import { OpenAiV1ChatController } from './openai-v1-chat.controller';
import { OpenAiV1ModelsController } from './openai-v1-models.controller';

/** The OpenAI-compatible surface at /v1: thin controllers over the shared chat use case. */
@Module({
  imports: [AuthModule, ChatModule, ModelsModule],
  controllers: [OpenAiV1ChatController, OpenAiV1ModelsController],
})
export class OpenAiV1Module {}

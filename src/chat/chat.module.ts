import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProvidersModule } from '../providers/providers.module';
import { SessionModule } from '../session/session.module';
import { ChatRouter } from './chat-router.service';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [AuthModule, ProvidersModule, SessionModule],
  controllers: [ChatController],
  providers: [ChatRouter, ChatService],
})
export class ChatModule {}

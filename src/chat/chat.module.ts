import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RoutingModule } from '../routing/routing.module';
import { SessionModule } from '../session/session.module';
import { ChatHooks } from './chat-hooks.service';
import { ChatResponder } from './chat-responder.service';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { ConversationRoutingService } from './conversation-routing.service';

/** The chat use case, its native surface, and the responder every chat surface shares. */
@Module({
  imports: [AuthModule, DiscoveryModule, MetricsModule, RoutingModule, SessionModule],
  controllers: [ChatController],
  providers: [ConversationRoutingService, ChatService, ChatHooks, ChatResponder],
  exports: [ChatService, ChatResponder],
})
export class ChatModule {}

import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { GatewayError } from '../common/errors/gateway-error';
import { ConversationIdPipe } from '../session/conversation-id.pipe';
import { SessionService, SessionView } from '../session/session.service';
import { AdminKeyGuard } from './admin-key.guard';

/** Operator look-ups (SPEC §6), gated by AdminKeyGuard. */
@Controller('debug')
@UseGuards(AdminKeyGuard)
export class DebugController {
  constructor(private readonly sessions: SessionService) {}

  @Get('session/:conversation_id')
  async session(
    @Param('conversation_id', ConversationIdPipe) conversationId: string,
  ): Promise<SessionView> {
    const view = await this.sessions.inspect(conversationId);
    if (view === null) {
      throw new GatewayError('session_not_found', 'No such session.', { param: 'conversation_id' });
    }
    return view;
  }
}

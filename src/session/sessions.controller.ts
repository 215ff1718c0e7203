import { Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { GatewayError } from '../common/errors/gateway-error';
import { ConversationIdPipe } from './conversation-id.pipe';
import { SessionService } from './session.service';

export interface SessionResponse {
  conversation_id: string;
  provider: string;
  model: string;
  created_at: number;
  expires_in: number;
}

const notFound = (): GatewayError =>
  new GatewayError('session_not_found', 'No such session.', { param: 'conversation_id' });

/** The caller's own sessions (SPEC §6). Someone else's session is indistinguishable from none. */
@Controller('native/v1/sessions')
@UseGuards(AuthGuard)
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get(':conversation_id')
  async get(
    @Param('conversation_id', ConversationIdPipe) conversationId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<SessionResponse> {
    const view = await this.sessions.findOwn(conversationId, caller.externalId);
    if (view === null) throw notFound();
    return {
      conversation_id: view.id,
      provider: view.provider,
      model: view.model,
      created_at: view.created_at,
      expires_in: view.expires_in,
    };
  }

  @Delete(':conversation_id')
  @HttpCode(204)
  async end(
    @Param('conversation_id', ConversationIdPipe) conversationId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    if (!(await this.sessions.end(conversationId, caller.externalId))) throw notFound();
  }
}

import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { GatewayError } from '../common/errors/gateway-error';
import { ApiGatewayErrors } from '../docs/api-gateway-errors.decorator';
import { DebugSessionSchema } from '../docs/schemas/debug-session.schema';
import { ConversationIdPipe } from '../session/conversation-id.pipe';
import { SessionService, SessionView } from '../session/session.service';
import { AdminKeyGuard } from './admin-key.guard';

/** Operator look-ups (README "Session routes"), gated by AdminKeyGuard. */
@ApiTags('operations')
@ApiSecurity('admin_key')
@Controller('debug')
@UseGuards(AdminKeyGuard)
export class DebugController {
  constructor(private readonly sessions: SessionService) {}

  @Get('session/:conversation_id')
  @ApiOperation({
    operationId: 'debugSession',
    summary: 'Any session, for operators',
    description:
      'Exists only with `DEBUG_ENDPOINTS=true` and `x-admin-key: $ADMIN_API_KEY`; answers 404 ' +
      'otherwise, so probing does not reveal it.',
  })
  @ApiParam({ name: 'conversation_id', example: 'support-ticket-4711' })
  @ApiOkResponse({ description: 'The stored session.', type: DebugSessionSchema })
  @ApiGatewayErrors('invalid_value', 'not_found', 'session_not_found', 'session_store_unavailable')
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

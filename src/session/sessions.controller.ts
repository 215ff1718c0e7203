import { Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { GatewayError } from '../common/errors/gateway-error';
import { ApiGatewayErrors } from '../docs/api-gateway-errors.decorator';
import { SessionViewSchema } from '../docs/schemas/session-view.schema';
import { ConversationIdPipe } from './conversation-id.pipe';
import type { Migration } from './session-record';
import { SessionService } from './session.service';

export interface SessionResponse {
  conversation_id: string;
  provider: string;
  model: string;
  deployment: string | null;
  group: string | null;
  tier: string | null;
  home_deployment: string | null;
  migration_count: number;
  migrations: Migration[];
  created_at: number;
  expires_in: number;
}

const notFound = (): GatewayError =>
  new GatewayError('session_not_found', 'No such session.', { param: 'conversation_id' });

/** The caller's own sessions (README "Session routes"). Someone else's session is indistinguishable from none. */
@ApiTags('sessions')
@ApiBearerAuth('api_key')
@ApiParam({ name: 'conversation_id', example: 'support-ticket-4711' })
@ApiGatewayErrors(
  'invalid_value',
  'missing_api_key',
  'invalid_api_key',
  'session_not_found',
  'internal_error',
  'session_store_unavailable',
)
@Controller('native/v1/sessions')
@UseGuards(AuthGuard)
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get(':conversation_id')
  @ApiOperation({
    operationId: 'getSession',
    summary: "The caller's own session (404 when absent or another caller's); does not refresh it",
  })
  @ApiOkResponse({ description: 'The session.', type: SessionViewSchema })
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
      deployment: view.deployment ?? null,
      group: view.group ?? null,
      tier: view.tier ?? null,
      home_deployment: view.home_deployment ?? view.deployment ?? null,
      migration_count: view.migration_count ?? 0,
      migrations: view.migrations ?? [],
      created_at: view.created_at,
      expires_in: view.expires_in,
    };
  }

  @Delete(':conversation_id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteSession',
    summary: "Ends the caller's own session; the next request may bind a new model",
  })
  @ApiNoContentResponse({ description: 'Ended.' })
  async end(
    @Param('conversation_id', ConversationIdPipe) conversationId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    if (!(await this.sessions.end(conversationId, caller.externalId))) throw notFound();
  }
}

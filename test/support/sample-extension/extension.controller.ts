import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthGuard } from '../../../src/auth/auth.guard';
import type { Caller } from '../../../src/auth/caller';
import { CurrentCaller } from '../../../src/auth/current-caller.decorator';
import type { ChatCommand } from '../../../src/chat/chat-command';
import { chatContext } from '../../../src/chat/chat-responder.service';
import { ChatService } from '../../../src/chat/chat.service';
import { GatewayError } from '../../../src/common/errors/gateway-error';
import { AskDto } from './ask.dto';

export interface WhoAmI {
  external_id: string;
  strategy: string;
}

export interface AskAnswer {
  answer: string | null;
  /** The deployment that served it (from the routing decision). */
  deployment: string | null;
}

/**
 * A team's own routes: the gateway's bearer keys (AuthGuard), its caller, its error envelope
 * (throw GatewayError) and its chat use case (ChatService: routing, hooks, health, retries).
 */
@Controller('ext/v1')
@UseGuards(AuthGuard)
export class ExtensionController {
  constructor(private readonly chat: ChatService) {}

  @Get('whoami')
  whoami(@CurrentCaller() caller: Caller): WhoAmI {
    return { external_id: caller.externalId, strategy: caller.strategy };
  }

  @Post('ask')
  @HttpCode(200)
  async ask(
    @Body() body: AskDto,
    @CurrentCaller() caller: Caller,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AskAnswer> {
    const command: ChatCommand = {
      stream: false,
      includeUsage: false,
      params: { messages: [{ role: 'user', content: body.question }] },
    };
    if (body.model !== undefined) command.model = body.model;
    const outcome = await this.chat.execute(command, caller, chatContext(req, res));
    if (outcome.kind !== 'json') {
      throw new GatewayError('internal_error', 'Expected a complete answer.');
    }
    return {
      answer: outcome.body.choices[0]?.message.content ?? null,
      deployment: outcome.decision.deployment ?? null,
    };
  }
}

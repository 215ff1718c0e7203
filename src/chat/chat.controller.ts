import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { ApiChatCompletion } from '../docs/api-chat-completion.decorator';
import { ChatResponder } from './chat-responder.service';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { toChatCommand } from './to-chat-command';

/** `POST /native/v1/chat/completions`: the native surface over the chat use case. */
@ApiTags('chat')
@ApiBearerAuth('api_key')
@Controller('native/v1')
@UseGuards(AuthGuard)
export class ChatController {
  constructor(private readonly responder: ChatResponder) {}

  @Post('chat/completions')
  @ApiChatCompletion()
  create(
    @Body() body: ChatCompletionRequestDto,
    @CurrentCaller() caller: Caller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.responder.respond(toChatCommand(body), caller, req, res);
  }
}

import { Body, Controller, Headers, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthGuard } from '../../auth/auth.guard';
import type { Caller } from '../../auth/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { ChatResponder } from '../../chat/chat-responder.service';
import { ChatCompletionRequestDto } from '../../chat/dto/chat-completion-request.dto';
import { toChatCommand } from '../../chat/to-chat-command';
import { ApiChatCompletion } from '../../docs/api-chat-completion.decorator';
import { CONVERSATION_ID_HEADER, withConversationHeader } from './conversation-header';
import { OPENAI_V1_TAG } from './openai-v1.tag';

/**
 * `POST /v1/chat/completions`: the native request on OpenAI's path, so tools work by changing
 * their base URL alone; the conversation id may also come from a header.
 */
@ApiTags(OPENAI_V1_TAG)
@ApiBearerAuth('api_key')
@Controller('v1')
@UseGuards(AuthGuard)
export class OpenAiV1ChatController {
  constructor(private readonly responder: ChatResponder) {}

  @Post('chat/completions')
  @ApiChatCompletion('openai-v1')
  create(
    @Body() body: ChatCompletionRequestDto,
    @Headers(CONVERSATION_ID_HEADER) conversationHeader: string | undefined,
    @CurrentCaller() caller: Caller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const command = withConversationHeader(toChatCommand(body), conversationHeader);
    return this.responder.respond(command, caller, req, res);
  }
}

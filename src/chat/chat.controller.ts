import { Body, Controller, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { providersConfig } from '../config/providers.config';
import { ApiChatCompletion } from '../docs/api-chat-completion.decorator';
import { MetricsService } from '../metrics/metrics.service';
import { ChatService } from './chat.service';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { toChatCommand } from './to-chat-command';
import { writeChatOutcome } from './write-chat-outcome';

/** An AbortSignal that fires when the client goes away before the response is complete. */
export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** `POST /native/v1/chat/completions`: the native surface over the chat use case. */
@ApiTags('chat')
@ApiBearerAuth('api_key')
@Controller('native/v1')
@UseGuards(AuthGuard)
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly metrics: MetricsService,
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {}

  @Post('chat/completions')
  @ApiChatCompletion()
  async create(
    @Body() body: ChatCompletionRequestDto,
    @CurrentCaller() caller: Caller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const signal = clientGone(res);
    try {
      const outcome = await this.chat.execute(toChatCommand(body), caller, {
        signal,
        requestId: req.requestId,
        facts: res.locals.facts,
      });
      await writeChatOutcome(res, outcome, {
        keepAliveMs: this.config.sseKeepAliveMs,
        streamsInFlight: this.metrics.streamsInFlight,
      });
    } catch (error) {
      if (signal.aborted) return; // nobody is left to answer
      throw error;
    }
  }
}

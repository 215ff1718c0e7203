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
import { serverTiming } from '../metrics/server-timing';
import { ChatRouter } from './chat-router.service';
import { ChatService } from './chat.service';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { writeSseStream } from './write-sse-stream';

/** An AbortSignal that fires when the client goes away before the response is complete. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * `POST /native/v1/chat/completions`. Writes on the raw response because SSE needs
 * backpressure and keep-alives (FIELD-NOTES); JSON answers go through the same path so both
 * modes carry the routing headers set before the provider is called.
 */
@ApiTags('chat')
@ApiBearerAuth('api_key')
@Controller('native/v1')
@UseGuards(AuthGuard)
export class ChatController {
  constructor(
    private readonly router: ChatRouter,
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
    const route = await this.router.route(body, caller);
    res.setHeader('x-sentinel-provider', route.provider.name);
    res.setHeader('x-sentinel-model', route.model);
    res.setHeader('x-sentinel-session', route.session);

    const signal = clientGone(res);
    const context = { signal, requestId: req.requestId };
    const facts = res.locals.facts;
    try {
      if (body.stream === true) {
        const chunks = await this.chat.stream(route, body, context, facts);
        await writeSseStream(res, chunks, {
          keepAliveMs: this.config.sseKeepAliveMs,
          includeUsage: body.stream_options?.include_usage === true,
          signal,
          streamsInFlight: this.metrics.streamsInFlight,
        });
      } else {
        const completion = await this.chat.complete(route, body, context, facts);
        res.setHeader('Server-Timing', serverTiming(facts, performance.now()));
        res.status(200).json(completion);
      }
    } catch (error) {
      if (signal.aborted) return; // nobody is left to answer
      throw error;
    }
  }
}

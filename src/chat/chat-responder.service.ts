import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, Response } from 'express';
import type { Caller } from '../auth/caller';
import { providersConfig } from '../config/providers.config';
import { MetricsService } from '../metrics/metrics.service';
import type { ChatCommand } from './chat-command';
import { ChatContext, ChatService, clientLeft } from './chat.service';
import { writeChatOutcome } from './write-chat-outcome';

/**
 * The ChatContext of one HTTP request: one AbortController per request, aborted when the
 * client goes away (and, by ChatService, when the attempts deadline passes).
 */
export function chatContext(req: Request, res: Response): ChatContext {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    requestId: req.requestId,
    facts: res.locals.facts,
  };
}

/**
 * What every chat surface does once it has its command: run the chat use case and write the
 * outcome (routing headers, then JSON or SSE) on the raw response. Errors propagate to the
 * global filter, unless the client has already gone and nobody is left to answer.
 */
@Injectable()
export class ChatResponder {
  constructor(
    private readonly chat: ChatService,
    private readonly metrics: MetricsService,
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {}

  async respond(command: ChatCommand, caller: Caller, req: Request, res: Response): Promise<void> {
    const context = chatContext(req, res);
    try {
      const outcome = await this.chat.execute(command, caller, context);
      await writeChatOutcome(res, outcome, {
        keepAliveMs: this.config.sseKeepAliveMs,
        streamsInFlight: this.metrics.streamsInFlight,
      });
    } catch (error) {
      if (clientLeft(context.signal)) return;
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { ChatCommand } from '../../../src/chat/chat-command';
import { ChatHook, ChatHookProvider } from '../../../src/chat/chat-hook.interface';

export const MAX_TOKENS_CAP = 256;

/** Rewrites every request: `max_tokens` is at most MAX_TOKENS_CAP (and set when absent). */
@Injectable()
@ChatHookProvider()
export class MaxTokensCapHook implements ChatHook {
  beforeChat(command: ChatCommand): ChatCommand | void {
    const asked = command.params.max_tokens;
    if (asked !== undefined && asked <= MAX_TOKENS_CAP) return; // unchanged
    return { ...command, params: { ...command.params, max_tokens: MAX_TOKENS_CAP } };
  }
}

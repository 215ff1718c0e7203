import { Injectable } from '@nestjs/common';
import type { ChatCommand } from '../../../src/chat/chat-command';
import { ChatHook, ChatHookProvider } from '../../../src/chat/chat-hook.interface';

export const HOUSE_RULES = 'House rules: answer politely.';

/** Rewrites every request: the house rules go first, as a system message. */
@Injectable()
@ChatHookProvider()
export class SystemPromptHook implements ChatHook {
  beforeChat(command: ChatCommand): ChatCommand {
    const rules = { role: 'system' as const, content: HOUSE_RULES };
    // A new command, not a mutation: the caller's objects stay as they were.
    return {
      ...command,
      params: { ...command.params, messages: [rules, ...command.params.messages] },
    };
  }
}

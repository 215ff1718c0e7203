import { Injectable } from '@nestjs/common';
import type { ChatCommand } from '../../../src/chat/chat-command';
import { ChatHook, ChatHookProvider } from '../../../src/chat/chat-hook.interface';

/** What a hook saw of a command: its shape, not its text. */
export interface ProbedCommand {
  roles: string[];
  maxTokens: number | undefined;
}

/**
 * For the tests: registered last, it records the command as the earlier hooks left it, which
 * shows the order hooks run in and that each sees the previous one's rewrite.
 */
@Injectable()
@ChatHookProvider()
export class CommandProbeHook implements ChatHook {
  readonly seen: ProbedCommand[] = [];

  beforeChat(command: ChatCommand): void {
    this.seen.push({
      roles: command.params.messages.map((m) => m.role),
      maxTokens: command.params.max_tokens,
    });
  }
}

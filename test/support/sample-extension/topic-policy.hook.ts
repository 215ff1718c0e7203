import { Injectable } from '@nestjs/common';
import type { ChatCommand } from '../../../src/chat/chat-command';
import { ChatHook, ChatHookContext, ChatHookProvider } from '../../../src/chat/chat-hook.interface';
import { GatewayError } from '../../../src/common/errors/gateway-error';

export const FORBIDDEN_MARKER = 'forbidden-topic';

/**
 * Refuses requests whose user messages mention FORBIDDEN_MARKER, before anything is routed or
 * stored: the client gets 400 `invalid_value` in the error envelope. The message names the rule,
 * never the prompt.
 */
@Injectable()
@ChatHookProvider()
export class TopicPolicyHook implements ChatHook {
  readonly refusedFor: string[] = [];

  beforeChat(command: ChatCommand, context: ChatHookContext): void {
    const mentions = command.params.messages.some(
      (m) => m.role === 'user' && JSON.stringify(m.content).includes(FORBIDDEN_MARKER),
    );
    if (!mentions) return;
    this.refusedFor.push(context.caller.externalId);
    throw new GatewayError('invalid_value', 'This gateway does not take requests on that topic.', {
      param: 'messages',
    });
  }
}

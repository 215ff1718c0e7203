import type { ChatCommand } from '../../chat/chat-command';
import { CONVERSATION_ID } from '../../session/conversation-id';
import { GatewayError } from '../../common/errors/gateway-error';

/** For OpenAI clients that can add headers but not body fields. */
export const CONVERSATION_ID_HEADER = 'x-sentinel-conversation-id';

/**
 * The command with the conversation id of the `x-sentinel-conversation-id` header, held to the
 * body field's rule (1..256 printable ASCII, no whitespace; a repeated header arrives joined by
 * ", " and so fails it). Header and body may both name the id only when they agree.
 */
export function withConversationHeader(
  command: ChatCommand,
  header: string | string[] | undefined,
): ChatCommand {
  if (header === undefined) return command;
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!CONVERSATION_ID.test(value)) {
    throw new GatewayError(
      'invalid_value',
      `${CONVERSATION_ID_HEADER} must be 1..256 printable ASCII characters without whitespace`,
      { param: CONVERSATION_ID_HEADER },
    );
  }
  if (command.conversationId !== undefined && command.conversationId !== value) {
    throw new GatewayError(
      'invalid_value',
      `The ${CONVERSATION_ID_HEADER} header and the body's conversation_id differ: send one of ` +
        'them, or the same id in both.',
      { param: 'conversation_id' },
    );
  }
  return { ...command, conversationId: value };
}

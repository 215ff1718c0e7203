import type { ChatCommand } from '../../chat/chat-command';
import { GatewayError } from '../../common/errors/gateway-error';
import { withConversationHeader } from './conversation-header';

const command = (conversationId?: string): ChatCommand => ({
  stream: false,
  includeUsage: false,
  params: { messages: [{ role: 'user', content: 'hi' }] },
  ...(conversationId === undefined ? {} : { conversationId }),
});

const failure = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
};

describe('withConversationHeader', () => {
  it('leaves the command alone when the header is absent', () => {
    const given = command('from-body');
    expect(withConversationHeader(given, undefined)).toBe(given);
  });

  it('takes the conversation id from the header', () => {
    expect(withConversationHeader(command(), 'ticket-42').conversationId).toBe('ticket-42');
  });

  it('accepts the header and the body naming the same id', () => {
    expect(withConversationHeader(command('same-id'), 'same-id').conversationId).toBe('same-id');
  });

  it('rejects a header and a body that name different ids, naming conversation_id', () => {
    const error = failure(() => withConversationHeader(command('body-id'), 'header-id'));
    expect([error.code, error.param]).toEqual(['invalid_value', 'conversation_id']);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'two words'],
    ['non-ASCII', 'caf\u00e9'],
    ['longer than 256 characters', 'x'.repeat(257)],
    ['repeated (joined by ", ")', ['a', 'b']],
  ])('rejects a header value that is %s, naming the header', (_, value) => {
    const error = failure(() => withConversationHeader(command(), value));
    expect([error.code, error.param]).toEqual(['invalid_value', 'x-sentinel-conversation-id']);
  });

  it('accepts 256 printable ASCII characters', () => {
    const id = '!~'.repeat(128);
    expect(withConversationHeader(command(), id).conversationId).toBe(id);
  });
});

import { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '../../common/validation/create-validation-pipe';
import { GatewayError } from '../../common/errors/gateway-error';
import { toChatCommand } from '../to-chat-command';
import { ChatCompletionRequestDto } from './chat-completion-request.dto';
import { isCommonChatBody } from './common-chat-body';

const full = createValidationPipe();
const fast = createValidationPipe(new Map([[ChatCompletionRequestDto, isCommonChatBody]]));
const metadata: ArgumentMetadata = { type: 'body', metatype: ChatCompletionRequestDto };

/** What a pipe makes of a body: the command, or the error envelope a client would read. */
async function outcomeOf(pipe: typeof full, body: unknown): Promise<unknown> {
  try {
    const dto = (await pipe.transform(structuredClone(body), metadata)) as ChatCompletionRequestDto;
    return { command: toChatCommand(dto) };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { status: error.status, error: error.toEnvelope() };
  }
}

const BASE = {
  model: 'openai/gpt-4o-mini',
  conversation_id: 'conv-1',
  stream: false,
  temperature: 0.7,
  top_p: 1,
  max_tokens: 256,
  tier: 'simple',
  stream_options: { include_usage: true },
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello' },
  ],
};

/** Every JSON type, and the edges of each rule the compiled check restates. */
const VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -0.0001,
  0.5,
  1,
  1.5,
  2,
  2.0001,
  3,
  10_000_000,
  10_000_001,
  1e308,
  '',
  'x',
  'a b',
  'openai/gpt-4o-mini',
  'é',
  'x'.repeat(256),
  'x'.repeat(257),
  'simple',
  'complex',
  'none',
  'user',
  'developer',
  'tool',
  'function',
  [],
  ['x'],
  [{ role: 'user', content: 'hi' }],
  {},
  { include_usage: true },
  { include_usage: null },
  { include_usage: 'yes' },
  { include_usage: true, extra: 1 },
];

const FIELDS = [...Object.keys(BASE), 'seed', 'n', 'user', 'tools', 'unknown_field', '__proto__'];

const MESSAGES: unknown[] = [
  { role: 'user', content: 'hi' },
  { role: 'assistant', content: 'hello' },
  { role: 'developer', content: '' },
  { role: 'tool', content: 'x' },
  { role: 'tool', content: 'x', tool_call_id: 'call_1' },
  { role: 'function', content: 'x' },
  { role: 'function', content: 'x', name: 'f' },
  { role: 'user', content: null },
  { role: 'assistant', content: null },
  { role: 'user' },
  { content: 'hi' },
  { role: 'user', content: 'hi', name: 'ann' },
  { role: 'user', content: 'hi', name: null },
  { role: 'user', content: 'hi', extra: 1 },
  { role: 'user', content: [{ type: 'text', text: 'hi' }] },
  { role: 'user', content: 5 },
  { role: 'USER', content: 'hi' },
  { role: 'user', content: 'hi', refusal: 'no' },
  'hi',
  null,
  [],
  5,
];

function* bodies(): Generator<unknown> {
  yield BASE;
  yield { messages: BASE.messages };
  yield {};
  yield [];
  for (const field of FIELDS) {
    const without: Record<string, unknown> = { ...BASE };
    delete without[field];
    yield without;
    for (const value of VALUES) yield { ...without, [field]: value };
  }
  for (const message of MESSAGES) {
    yield { model: 'm', messages: [message] };
    yield { model: 'm', messages: [{ role: 'user', content: 'a' }, message] };
    for (const value of VALUES) {
      if (typeof message === 'object' && message !== null && !Array.isArray(message))
        for (const key of ['role', 'content', 'name'])
          yield { model: 'm', messages: [{ ...message, [key]: value }] };
    }
  }
  // A JSON `__proto__` key is an own property, as JSON.parse makes it.
  yield JSON.parse('{"model":"m","messages":[{"role":"user","content":"hi"}],"__proto__":{}}');
  yield JSON.parse('{"model":"m","messages":[{"role":"user","content":"hi","__proto__":{}}]}');
}

describe('isCommonChatBody (the compiled check of the common request shape)', () => {
  it('accepts the shapes chat clients send', () => {
    expect(isCommonChatBody(BASE)).toBe(true);
    expect(isCommonChatBody({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).toBe(
      true,
    );
    expect(
      isCommonChatBody({ conversation_id: 'c', messages: [{ role: 'assistant', content: '' }] }),
    ).toBe(true);
  });

  it('leaves every null, unknown field, tool or part to the full validation', () => {
    expect(isCommonChatBody({ ...BASE, temperature: null })).toBe(false);
    expect(isCommonChatBody({ ...BASE, seed: 1 })).toBe(false);
    expect(isCommonChatBody({ ...BASE, messages: [{ role: 'tool', content: 'x' }] })).toBe(false);
    expect(
      isCommonChatBody({ ...BASE, messages: [{ role: 'user', content: [{ type: 'text' }] }] }),
    ).toBe(false);
    expect(isCommonChatBody({ model: 'm' })).toBe(false);
  });

  it('gives, for every body, the same command or the same error as the full validation', async () => {
    let accepted = 0;
    let total = 0;
    for (const body of bodies()) {
      total++;
      const viaFast = await outcomeOf(fast, body);
      const viaFull = await outcomeOf(full, body);
      expect({ body, outcome: viaFast }).toEqual({ body, outcome: viaFull });
      if (isCommonChatBody(body)) {
        accepted++;
        expect({ body, outcome: viaFull }).toEqual({
          body,
          outcome: expect.objectContaining({ command: expect.anything() }),
        });
      }
    }
    // Both sides of the check are exercised: many bodies take each path.
    expect(total).toBeGreaterThan(1_000);
    expect(accepted).toBeGreaterThan(100);
    expect(total - accepted).toBeGreaterThan(500);
  });
});

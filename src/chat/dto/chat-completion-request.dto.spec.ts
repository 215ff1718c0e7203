import { ArgumentMetadata } from '@nestjs/common';
import { GatewayError } from '../../common/errors/gateway-error';
import { createValidationPipe } from '../../common/validation/create-validation-pipe';
import { ChatCompletionRequestDto } from './chat-completion-request.dto';

const pipe = createValidationPipe();
const metadata: ArgumentMetadata = { type: 'body', metatype: ChatCompletionRequestDto };
const valid = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

async function reject(body: unknown): Promise<GatewayError> {
  try {
    await pipe.transform(body, metadata);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

describe('chat completion request validation', () => {
  it('accepts a minimal request and a full one', async () => {
    await expect(pipe.transform(valid, metadata)).resolves.toBeInstanceOf(ChatCompletionRequestDto);
    const full = {
      ...valid,
      conversation_id: 'conv-1',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      top_p: 1,
      max_tokens: 256,
      stop: ['\n\n', 'END'],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      messages: [
        { role: 'system', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      ],
    };
    await expect(pipe.transform(full, metadata)).resolves.toMatchObject({ max_tokens: 256 });
  });

  it('rejects an unknown top-level field naming it', async () => {
    const error = await reject({ ...valid, cache_ttl: 60 });
    expect(error.toEnvelope().error).toEqual({
      message: "Unknown field 'cache_ttl'.",
      type: 'invalid_request_error',
      code: 'unknown_field',
      param: 'cache_ttl',
    });
  });

  it('rejects an unknown field inside a message with its path', async () => {
    const error = await reject({ ...valid, messages: [{ role: 'user', content: 'x', mood: 1 }] });
    expect(error.code).toBe('unknown_field');
    expect(error.param).toBe('messages[0].mood');
  });

  it.each([
    ['messages missing', { model: 'm' }, 'messages'],
    ['messages empty', { model: 'm', messages: [] }, 'messages'],
    ['messages not an array', { model: 'm', messages: 'hi' }, 'messages'],
    ['a bad role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['content missing', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content'],
    [
      'content a number',
      { model: 'm', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
    ],
    [
      'content null on a user turn',
      { model: 'm', messages: [{ role: 'user', content: null }] },
      'messages[0].content',
    ],
    [
      'an empty parts array',
      { model: 'm', messages: [{ role: 'user', content: [] }] },
      'messages[0].content',
    ],
    [
      'an unknown part type',
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'audio' }] }] },
      'messages[0].content',
    ],
    [
      'an image part without url',
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] },
      'messages[0].content',
    ],
    [
      'a tool message without tool_call_id',
      { model: 'm', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
    ],
    [
      'tool_calls on a user turn',
      {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: 'x',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
        ],
      },
      'messages[0].tool_calls',
    ],
    ['temperature above 2', { ...valid, temperature: 2.5 }, 'temperature'],
    ['temperature as a string', { ...valid, temperature: '0.5' }, 'temperature'],
    ['top_p above 1', { ...valid, top_p: 1.1 }, 'top_p'],
    ['max_tokens of 0', { ...valid, max_tokens: 0 }, 'max_tokens'],
    ['max_tokens fractional', { ...valid, max_tokens: 1.5 }, 'max_tokens'],
    ['five stop strings', { ...valid, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['stop a number', { ...valid, stop: 7 }, 'stop'],
    ['stream as a string', { ...valid, stream: 'true' }, 'stream'],
    ['model empty', { ...valid, model: '' }, 'model'],
    ['model with a space', { ...valid, model: 'gpt 4' }, 'model'],
    ['conversation_id with whitespace', { ...valid, conversation_id: 'a b' }, 'conversation_id'],
    ['conversation_id too long', { ...valid, conversation_id: 'x'.repeat(257) }, 'conversation_id'],
    ['conversation_id non-ASCII', { ...valid, conversation_id: 'çava' }, 'conversation_id'],
    [
      'a tool of another type',
      { ...valid, tools: [{ type: 'retrieval', function: { name: 'f' } }] },
      'tools[0].type',
    ],
    [
      'a tool name with spaces',
      { ...valid, tools: [{ type: 'function', function: { name: 'get weather' } }] },
      'tools[0].function.name',
    ],
    ['a bad tool_choice', { ...valid, tool_choice: 'always' }, 'tool_choice'],
  ])('rejects %s with invalid_value on %s', async (_, body, param) => {
    const error = await reject(body);
    expect(error.code).toBe('invalid_value');
    expect(error.param).toBe(param);
    expect(error.status).toBe(400);
    expect(error.message.startsWith(param)).toBe(true);
  });

  it('accepts a conversation_id of exactly 256 printable characters', async () => {
    const id = '~'.repeat(256);
    await expect(
      pipe.transform({ ...valid, conversation_id: id }, metadata),
    ).resolves.toMatchObject({
      conversation_id: id,
    });
  });

  it('drops a __proto__ key instead of merging it into the request', async () => {
    const body = JSON.parse(
      '{"model":"m","messages":[{"role":"user","content":"x"}],"__proto__":{"admin":true}}',
    ) as unknown;
    const dto = (await pipe.transform(body, metadata)) as Record<string, unknown>;
    expect(dto.admin).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('rejects a body that is not an object, saying so with no param', async () => {
    for (const body of [[], [1], 'text', 42, null, true]) {
      const error = await reject(body);
      expect(error.toEnvelope().error).toEqual({
        message: 'The request body must be a JSON object.',
        type: 'invalid_request_error',
        code: 'invalid_value',
        param: null,
      });
    }
  });
});

import { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '../common/validation/create-validation-pipe';
import { OPTIONAL_PARAMS } from '../providers/llm-types';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import EVERY_OPTIONAL_PARAM from './dto/fixtures/every-optional-param.json';
import { toChatCommand } from './to-chat-command';

const pipe = createValidationPipe();
const metadata: ArgumentMetadata = { type: 'body', metatype: ChatCompletionRequestDto };
const dtoOf = (body: object): Promise<ChatCompletionRequestDto> =>
  pipe.transform(body, metadata) as Promise<ChatCompletionRequestDto>;

/** Every key anywhere in a JSON value, with the value at it. */
function entries(value: unknown, path = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object') return [[path, value]];
  return Object.entries(value).flatMap(([k, v]) => [
    [`${path}.${k}`, v] as [string, unknown],
    ...entries(v, `${path}.${k}`),
  ]);
}

describe('toChatCommand', () => {
  it('keeps routing fields outside params and puts nothing else there', async () => {
    const command = toChatCommand(
      await dtoOf({
        model: 'openai/gpt-4o-mini',
        conversation_id: 'conv-1',
        tier: 'simple',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(command).toEqual({
      model: 'openai/gpt-4o-mini',
      conversationId: 'conv-1',
      tier: 'simple',
      stream: true,
      includeUsage: true,
      params: { messages: [{ role: 'user', content: 'hi' }] },
    });
  });

  it('leaves model, conversationId and tier out when absent, and defaults stream to false', async () => {
    const command = toChatCommand(await dtoOf({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(Object.keys(command).sort()).toEqual(['includeUsage', 'params', 'stream']);
    expect([command.stream, command.includeUsage]).toEqual([false, false]);
  });

  it('copies every core and optional param the client sent, as plain JSON', async () => {
    const core = {
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 5,
      stop: ['END'],
      tools: [
        {
          type: 'function',
          function: {
            name: 'f',
            description: 'd',
            parameters: { type: 'object', default: null },
            strict: true,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
    };
    const command = toChatCommand(
      await dtoOf({
        messages: [{ role: 'user', content: 'hi' }],
        ...core,
        ...EVERY_OPTIONAL_PARAM,
      }),
    );
    expect(command.params).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      ...core,
      ...EVERY_OPTIONAL_PARAM,
    });
    for (const key of OPTIONAL_PARAMS) expect(command.params).toHaveProperty(key);
    // Plain objects all the way down: no DTO instance leaves the surface.
    for (const [path, value] of entries(command.params)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        expect([path, Object.getPrototypeOf(value)]).toEqual([path, Object.prototype]);
      }
    }
  });

  it('copies each message with only its defined fields, null content kept where it is meaningful', async () => {
    const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
    const command = toChatCommand(
      await dtoOf({
        model: 'm',
        messages: [
          { role: 'developer', content: 'rules', name: null },
          { role: 'assistant', content: null, tool_calls: [call], refusal: null, audio: null },
          { role: 'tool', tool_call_id: 'c1', content: '42' },
          { role: 'assistant', content: null, refusal: 'No.' },
          { role: 'assistant', audio: { id: 'audio_1' } },
          { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
          { role: 'function', name: 'f', content: 'ok' },
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: null } }],
          },
        ],
      }),
    );
    expect(command.params.messages).toEqual([
      { role: 'developer', content: 'rules' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'c1', content: '42' },
      { role: 'assistant', content: null, refusal: 'No.' },
      { role: 'assistant', content: null, audio: { id: 'audio_1' } },
      { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
      { role: 'function', name: 'f', content: 'ok' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ]);
    for (const [path, value] of entries(command.params)) {
      expect([path, value]).not.toEqual([path, undefined]);
    }
  });

  it('drops every optional field sent as null: none reaches params', async () => {
    const nulls = Object.fromEntries(
      [
        'temperature',
        'top_p',
        'max_tokens',
        'stop',
        'tools',
        'tool_choice',
        ...OPTIONAL_PARAMS,
      ].map((k) => [k, null]),
    );
    const command = toChatCommand(
      await dtoOf({
        model: null,
        conversation_id: null,
        tier: null,
        messages: [{ role: 'user', content: 'hi' }],
        ...nulls,
      }),
    );
    expect(command).toEqual({
      stream: false,
      includeUsage: false,
      params: { messages: [{ role: 'user', content: 'hi' }] },
    });
  });
});

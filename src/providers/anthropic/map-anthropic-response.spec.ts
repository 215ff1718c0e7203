import textMessage from './fixtures/text-message.json';
import toolUseMessage from './fixtures/tool-use-message.json';
import { mapAnthropicResponse } from './map-anthropic-response';

const NOW = 1_760_000_000_000;
const malformed = expect.objectContaining({ name: 'ProviderError', cls: 'server' });

describe('mapAnthropicResponse', () => {
  it('maps a recorded text answer to exactly the contract fields', () => {
    expect(mapAnthropicResponse(textMessage, NOW)).toStrictEqual({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      created: NOW / 1000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The capital of France is Paris.' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 14,
        completion_tokens: 10,
        total_tokens: 24,
      },
    });
  });

  it('joins every text block, turns tool_use blocks into tool calls and drops thinking', () => {
    const result = mapAnthropicResponse(toolUseMessage, NOW);

    expect(result.choices[0]).toStrictEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking both now.',
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Boston"}' },
          },
          { id: 'toolu_01B', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(result.usage).toEqual({
      prompt_tokens: 41208,
      completion_tokens: 21,
      total_tokens: 41229,
      prompt_tokens_details: { cached_tokens: 41203 },
    });
  });

  it('reads an answer with tool calls and no text as null content', () => {
    const toolsOnly = {
      ...toolUseMessage,
      content: toolUseMessage.content.filter((block) => block.type === 'tool_use'),
    };
    expect(mapAnthropicResponse(toolsOnly, NOW).choices[0].message.content).toBeNull();
  });

  it('reports tool_calls when tool_use blocks come with end_turn', () => {
    const result = mapAnthropicResponse({ ...toolUseMessage, stop_reason: 'end_turn' }, NOW);
    expect(result.choices[0].finish_reason).toBe('tool_calls');
  });

  it.each([
    ['a string', 'not json'],
    ['no id', { ...textMessage, id: undefined }],
    ['no model', { ...textMessage, model: 7 }],
    ['content that is not an array', { ...textMessage, content: 'hi' }],
    ['a text block without text', { ...textMessage, content: [{ type: 'text' }] }],
    ['a tool_use block without id', { ...textMessage, content: [{ type: 'tool_use', name: 'f' }] }],
  ])('rejects %s as a malformed answer (a server failure)', (_label, data) => {
    expect(() => mapAnthropicResponse(data, NOW)).toThrow(malformed);
  });
});

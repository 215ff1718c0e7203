import { ProviderError } from '../provider-error';
import completion from './fixtures/completion.json';
import toolCallCompletion from './fixtures/tool-call-completion.json';
import { mapOpenAiResponse } from './map-openai-response';

const malformed = {
  cls: 'server',
  message: 'The provider returned a malformed response.',
};

describe('mapOpenAiResponse', () => {
  it('maps a recorded completion to exactly the contract fields, stripping vendor extras', () => {
    expect(mapOpenAiResponse(completion)).toStrictEqual({
      id: 'chatcmpl-BqJmB3Yd7kFz2sWQe8hTn4vXoPa1c',
      created: 1751980311,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The capital of France is Paris.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 },
    });
  });

  it('keeps tool calls with their ids, names and argument strings, and a null content', () => {
    const result = mapOpenAiResponse(toolCallCompletion);

    expect(result.choices[0]).toStrictEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_8fJ2kQ1mZpR7sT0vXyA3bC9d',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
          },
          {
            id: 'call_Q4nW6eR8tY0uI2oP5aS7dF1g',
            type: 'function',
            function: { name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
    // The recorded answer hit the prompt cache: OpenAI's cached_tokens is reported.
    expect(result.usage).toStrictEqual({
      prompt_tokens: 92,
      completion_tokens: 51,
      total_tokens: 143,
      prompt_tokens_details: { cached_tokens: 64 },
    });
  });

  it('reads missing usage as zeros and a missing total as the sum', () => {
    const withoutUsage: Record<string, unknown> = { ...completion };
    delete withoutUsage.usage;

    expect(mapOpenAiResponse(withoutUsage).usage).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
    });
    expect(
      mapOpenAiResponse({ ...completion, usage: { prompt_tokens: 3, completion_tokens: 4 } }).usage,
    ).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });

  it('turns a refusal with no content into the content', () => {
    const refused = {
      ...completion,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: "I can't help with that." },
          finish_reason: 'stop',
        },
      ],
    };

    expect(mapOpenAiResponse(refused).choices[0].message.content).toBe("I can't help with that.");
  });

  it('reads the legacy function_call finish reason as tool_calls and unknown ones as stop', () => {
    const withReason = (reason: string): unknown => ({
      ...completion,
      choices: [{ ...completion.choices[0], finish_reason: reason }],
    });

    expect(mapOpenAiResponse(withReason('function_call')).choices[0].finish_reason).toBe(
      'tool_calls',
    );
    expect(mapOpenAiResponse(withReason('eos')).choices[0].finish_reason).toBe('stop');
  });

  it.each([
    ['a string', 'not json'],
    ['null', null],
    ['an array', [completion]],
    ['no choices', { ...completion, choices: undefined }],
    ['a choice without message', { ...completion, choices: [{ index: 0, finish_reason: 'stop' }] }],
    ['a numeric id', { ...completion, id: 42 }],
    ['no model', { ...completion, model: undefined }],
    [
      'content parts',
      { ...completion, choices: [{ index: 0, message: { role: 'assistant', content: [{}] } }] },
    ],
    [
      'a tool call without a name',
      {
        ...completion,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', function: {} }] },
          },
        ],
      },
    ],
  ])('rejects %s as a malformed response', (_label, body) => {
    expect(() => mapOpenAiResponse(body)).toThrow(expect.objectContaining(malformed));
  });

  it('rejects a 200 body that carries an error object without echoing it', () => {
    const body = { error: { message: 'secret upstream detail', type: 'server_error' } };

    expect(() => mapOpenAiResponse(body)).toThrow(ProviderError);
    expect(() => mapOpenAiResponse(body)).toThrow(
      expect.objectContaining({
        cls: 'server',
        message: 'The provider reported an error object in a 200 completion (type server_error).',
      }),
    );
  });
});

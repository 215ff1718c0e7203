import { ArgumentMetadata } from '@nestjs/common';
import { GatewayError } from '../../common/errors/gateway-error';
import { createValidationPipe } from '../../common/validation/create-validation-pipe';
import { OPTIONAL_PARAMS } from '../../providers/llm-types';
import { ChatCompletionRequestDto } from './chat-completion-request.dto';
import everyOptionalParam from './fixtures/every-optional-param.json';

const pipe = createValidationPipe();
const metadata: ArgumentMetadata = { type: 'body', metatype: ChatCompletionRequestDto };
const user = { role: 'user', content: 'hi' };
const valid = { model: 'openai/gpt-4o-mini', messages: [user] };
const toolCall = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };

const parse = (body: unknown): Promise<ChatCompletionRequestDto> =>
  pipe.transform(body, metadata) as Promise<ChatCompletionRequestDto>;

async function reject(body: unknown): Promise<GatewayError> {
  try {
    await pipe.transform(body, metadata);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the body to be rejected');
}

/** A valid value of every OpenAI optional param, at the edges of its range. */
const EVERY_OPTIONAL_PARAM = everyOptionalParam;

describe("OpenAI's optional request fields", () => {
  it('declares a valid example for every OPTIONAL_PARAMS field', () => {
    expect(Object.keys(EVERY_OPTIONAL_PARAM).sort()).toEqual([...OPTIONAL_PARAMS].sort());
  });

  it('accepts every one of them, as OpenAI defines them, plus tier', async () => {
    const dto = await parse({ ...valid, ...EVERY_OPTIONAL_PARAM, tier: 'complex' });
    expect(JSON.parse(JSON.stringify(dto))).toEqual({
      ...valid,
      ...EVERY_OPTIONAL_PARAM,
      tier: 'complex',
    });
  });

  it.each([
    ['n of 0', { n: 0 }, 'n'],
    ['n of 129', { n: 129 }, 'n'],
    ['a fractional seed', { seed: 1.5 }, 'seed'],
    ['an unknown response format', { response_format: { type: 'xml' } }, 'response_format.type'],
    [
      'json_schema without its schema object',
      { response_format: { type: 'json_schema' } },
      'response_format.json_schema',
    ],
    [
      'json_schema on a text format',
      { response_format: { type: 'text', json_schema: { name: 'a' } } },
      'response_format.json_schema',
    ],
    [
      'a json_schema name with spaces',
      { response_format: { type: 'json_schema', json_schema: { name: 'a b' } } },
      'response_format.json_schema.name',
    ],
    ['presence_penalty of 2.5', { presence_penalty: 2.5 }, 'presence_penalty'],
    ['frequency_penalty of -3', { frequency_penalty: -3 }, 'frequency_penalty'],
    ['a logit_bias key that is no token id', { logit_bias: { abc: 1 } }, 'logit_bias'],
    ['a logit_bias of 101', { logit_bias: { '1': 101 } }, 'logit_bias'],
    ['logprobs as a string', { logprobs: 'yes' }, 'logprobs'],
    ['top_logprobs of 21', { logprobs: true, top_logprobs: 21 }, 'top_logprobs'],
    ['top_logprobs without logprobs', { top_logprobs: 2 }, 'top_logprobs'],
    [
      '17 metadata pairs',
      { metadata: Object.fromEntries([...Array(17).keys()].map((i) => [`k${i}`, 'v'])) },
      'metadata',
    ],
    ['a 65-character metadata key', { metadata: { ['k'.repeat(65)]: 'v' } }, 'metadata'],
    ['a 513-character metadata value', { metadata: { k: 'v'.repeat(513) } }, 'metadata'],
    ['a number as metadata value', { metadata: { k: 1 } }, 'metadata'],
    ['an unknown reasoning_effort', { reasoning_effort: 'extreme' }, 'reasoning_effort'],
    ['an unknown service_tier', { service_tier: 'gold' }, 'service_tier'],
    ['an unknown modality', { modalities: ['video'] }, 'modalities'],
    ['an unknown audio format', { audio: { voice: 'alloy', format: 'ogg' } }, 'audio.format'],
    ['audio without a voice', { audio: { format: 'mp3' } }, 'audio.voice'],
    [
      'a prediction of another type',
      { prediction: { type: 'guess', content: 'x' } },
      'prediction.type',
    ],
    ['a numeric prediction', { prediction: { type: 'content', content: 5 } }, 'prediction.content'],
    [
      'an unknown search context size',
      { web_search_options: { search_context_size: 'huge' } },
      'web_search_options.search_context_size',
    ],
    [
      'an exact user location',
      { web_search_options: { user_location: { type: 'exact', approximate: {} } } },
      'web_search_options.user_location.type',
    ],
    ['an unknown verbosity', { verbosity: 'loud' }, 'verbosity'],
    ['an unknown tier', { tier: 'gold' }, 'tier'],
    ['a response_format array', { response_format: [] }, 'response_format'],
    ['stream_options as an array', { stream_options: [] }, 'stream_options'],
  ])('rejects %s with invalid_value on %s', async (_, fields, param) => {
    const error = await reject({ ...valid, ...fields });
    expect([error.code, error.param]).toEqual(['invalid_value', param]);
  });

  it('rejects an unknown field inside a nested option, naming its path', async () => {
    const error = await reject({ ...valid, audio: { voice: 'alloy', format: 'mp3', speed: 2 } });
    expect([error.code, error.param]).toEqual(['unknown_field', 'audio.speed']);
  });
});

describe('messages of every role', () => {
  it.each([
    ['a developer message', { role: 'developer', content: 'Be brief.', name: 'ops' }],
    ['a system message of text parts', { role: 'system', content: [{ type: 'text', text: 'x' }] }],
    [
      'a tool message of text parts',
      { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'x' }] },
    ],
    ['a legacy function message', { role: 'function', name: 'get_weather', content: '{"t":21}' }],
    ['an assistant refusal', { role: 'assistant', content: null, refusal: 'No.' }],
    ['an assistant audio reference', { role: 'assistant', audio: { id: 'audio_1' } }],
    [
      'an assistant legacy function call',
      { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
    ],
    ['assistant tool calls without content', { role: 'assistant', tool_calls: [toolCall] }],
  ])('accepts %s', async (_, message) => {
    await expect(parse({ ...valid, messages: [message] })).resolves.toBeInstanceOf(
      ChatCompletionRequestDto,
    );
  });

  it.each([
    ['a function message without name', { role: 'function', content: 'x' }, 'messages[0].name'],
    [
      'a function message of parts',
      { role: 'function', name: 'f', content: [{ type: 'text', text: 'x' }] },
      'messages[0].content',
    ],
    [
      'an image on a system message',
      { role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
      'messages[0].content',
    ],
    [
      'an image on a tool message',
      {
        role: 'tool',
        tool_call_id: 'c',
        content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }],
      },
      'messages[0].content',
    ],
    ['an assistant with nothing', { role: 'assistant', content: null }, 'messages[0].content'],
    [
      'a refusal from the user',
      { role: 'user', content: 'x', refusal: 'no' },
      'messages[0].refusal',
    ],
    [
      'audio on a user turn',
      { role: 'user', content: 'x', audio: { id: 'a' } },
      'messages[0].audio',
    ],
    [
      'function_call without arguments',
      { role: 'assistant', function_call: { name: 'f' } },
      'messages[0].function_call.arguments',
    ],
    ['a message that is an array', [], 'messages'],
  ])('rejects %s naming %s', async (_, message, param) => {
    const error = await reject({ ...valid, messages: [message] });
    expect([error.code, error.param]).toEqual(['invalid_value', param]);
  });
});

describe('null on an optional field means absent', () => {
  const assistant = { role: 'assistant', content: null, tool_calls: [toolCall] };
  const tool = { type: 'function', function: { name: 'f' } };

  it('drops null top-level fields (core and optional params) before validation', async () => {
    const nulls = Object.fromEntries(
      [
        'model',
        'conversation_id',
        'tier',
        'stream',
        'stream_options',
        'temperature',
        'top_p',
        'max_tokens',
        'stop',
        'tools',
        'tool_choice',
        ...OPTIONAL_PARAMS,
      ].map((k) => [k, null]),
    );
    const dto = await parse({ messages: [user], ...nulls });
    for (const key of Object.keys(nulls)) {
      expect([key, (dto as unknown as Record<string, unknown>)[key]]).toEqual([key, undefined]);
    }
  });

  it('drops null optional fields inside messages, parts, tools and nested options', async () => {
    const dto = await parse({
      ...valid,
      messages: [
        { role: 'user', content: 'x', name: null, tool_call_id: null },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'u', detail: null } }] },
        { ...assistant, refusal: null, audio: null, function_call: null, name: null },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'f', description: null, parameters: null, strict: null },
        },
      ],
      stream_options: { include_usage: null },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'a', schema: null, strict: null, description: null },
      },
      web_search_options: { search_context_size: null, user_location: null },
    });
    const plain = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
    expect(plain).toEqual({
      ...valid,
      messages: [
        { role: 'user', content: 'x' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'u' } }] },
        assistant,
      ],
      tools: [tool],
      stream_options: {},
      response_format: { type: 'json_schema', json_schema: { name: 'a' } },
      web_search_options: {},
    });
  });

  it('names the element that is null in an array of objects', async () => {
    const error = await reject({ ...valid, messages: [user, null] });
    expect(error.message).toBe('messages[1] must be an object');
  });

  it('keeps a null content where it means something: an assistant turn with tool_calls', async () => {
    const dto = await parse({ ...valid, messages: [assistant] });
    expect(dto.messages[0].content).toBeNull();
  });

  it.each([
    ['messages', { model: 'm', messages: null }, 'messages'],
    ['a message', { model: 'm', messages: [null] }, 'messages'],
    ['a role', { model: 'm', messages: [{ role: null, content: 'x' }] }, 'messages[0].role'],
    [
      'a user content',
      { model: 'm', messages: [{ role: 'user', content: null }] },
      'messages[0].content',
    ],
    [
      'a tool message tool_call_id',
      { model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: null }] },
      'messages[0].tool_call_id',
    ],
    [
      'a function message name',
      { model: 'm', messages: [{ role: 'function', content: 'x', name: null }] },
      'messages[0].name',
    ],
    ['a tool', { ...valid, tools: [null] }, 'tools'],
    [
      'a tool function',
      { ...valid, tools: [{ type: 'function', function: null }] },
      'tools[0].function',
    ],
    [
      'a tool type',
      { ...valid, tools: [{ type: null, function: { name: 'f' } }] },
      'tools[0].type',
    ],
    [
      'a tool function name',
      { ...valid, tools: [{ type: 'function', function: { name: null } }] },
      'tools[0].function.name',
    ],
    [
      'a tool call id',
      { ...valid, messages: [{ ...assistant, tool_calls: [{ ...toolCall, id: null }] }] },
      'messages[0].tool_calls[0].id',
    ],
    [
      'a response_format type',
      { ...valid, response_format: { type: null } },
      'response_format.type',
    ],
    ['an audio voice', { ...valid, audio: { voice: null, format: 'mp3' } }, 'audio.voice'],
  ])('rejects a null %s where a value is required, naming %s', async (_, body, param) => {
    const error = await reject(body);
    expect([error.code, error.param]).toEqual(['invalid_value', param]);
  });
});

import type { ChatMessage, ChatRequest, ToolDefinition } from '../llm-types';
import { AnthropicRequestBody, DEFAULT_MAX_TOKENS } from './anthropic-wire';
import { convertToAnthropicRequest } from './convert-to-anthropic-request';

const json = { stream: false };
const request = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-sonnet-4-5',
  messages,
  ...extra,
});
const hi: ChatMessage = { role: 'user', content: 'Hi' };
const convert = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): AnthropicRequestBody =>
  convertToAnthropicRequest(request(messages, extra), json);
/** A GatewayError 400 `invalid_value` naming `param` (an asymmetric matcher, as toThrow takes it). */
const invalid = (param: string): Error =>
  expect.objectContaining({ code: 'invalid_value', param }) as Error;

const weather: ToolDefinition = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

describe('convertToAnthropicRequest: the body', () => {
  it('sends model, the default max_tokens and messages as block arrays, nothing else', () => {
    const body = convert([hi]);

    expect(body).toStrictEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
  });

  it('uses the given default max_tokens, then max_tokens, then max_completion_tokens', () => {
    const opts = { stream: false, defaultMaxTokens: 1000 };
    expect(convertToAnthropicRequest(request([hi]), opts).max_tokens).toBe(1000);
    expect(convertToAnthropicRequest(request([hi], { max_tokens: 64 }), opts).max_tokens).toBe(64);
    expect(
      convertToAnthropicRequest(request([hi], { max_tokens: 64, max_completion_tokens: 32 }), opts)
        .max_tokens,
    ).toBe(32);
  });

  it('refuses a max_completion_tokens of 0, which Anthropic reads as "produce nothing"', () => {
    expect(() => convert([hi], { max_completion_tokens: 0 })).toThrow(
      invalid('max_completion_tokens'),
    );
    expect(() => convert([hi], { max_tokens: 0 })).toThrow(invalid('max_tokens'));
  });

  it('asks for a stream with stream: true', () => {
    expect(convertToAnthropicRequest(request([hi]), { stream: true }).stream).toBe(true);
  });

  it('clamps an OpenAI temperature above 1 to Anthropic’s maximum of 1 and keeps lower ones', () => {
    expect(convert([hi], { temperature: 1.5 }).temperature).toBe(1);
    expect(convert([hi], { temperature: 2 }).temperature).toBe(1);
    expect(convert([hi], { temperature: 0.3 }).temperature).toBe(0.3);
    expect(convert([hi], { temperature: 0 }).temperature).toBe(0);
  });

  it('sends top_p alone, but only temperature when both are set (newer models refuse both)', () => {
    expect(convert([hi], { top_p: 0.9 })).toMatchObject({ top_p: 0.9 });
    const both = convert([hi], { temperature: 0.5, top_p: 0.9 });
    expect(both.temperature).toBe(0.5);
    expect(both).not.toHaveProperty('top_p');
  });

  it('sends stop as stop_sequences: a string becomes one sequence', () => {
    expect(convert([hi], { stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(convert([hi], { stop: ['a', 'b'] }).stop_sequences).toEqual(['a', 'b']);
  });

  it('leaves out empty and whitespace-only stop sequences, which Anthropic refuses', () => {
    expect(convert([hi], { stop: ['\n', 'END', ''] }).stop_sequences).toEqual(['END']);
    expect(convert([hi], { stop: '\n\n' })).not.toHaveProperty('stop_sequences');
  });

  it('sends safety_identifier (else user) as metadata.user_id', () => {
    expect(convert([hi], { user: 'u-123' }).metadata).toEqual({ user_id: 'u-123' });
    expect(convert([hi], { user: 'u-1', safety_identifier: 'hash-9' }).metadata).toEqual({
      user_id: 'hash-9',
    });
  });

  it.each([
    ['an email address', 'alice@example.com'],
    ['a phone number', '+1 (555) 123-4567'],
    ['more than 256 characters', 'x'.repeat(257)],
  ])('leaves out a user id that is %s, which Anthropic refuses', (_label, user) => {
    expect(convert([hi], { user })).not.toHaveProperty('metadata');
  });

  it('drops fields outside the contract, such as conversation_id', () => {
    const polluted = { ...request([hi]), conversation_id: 'c1', tier: 'simple', n: 2 };
    expect(Object.keys(convertToAnthropicRequest(polluted as ChatRequest, json)).sort()).toEqual([
      'max_tokens',
      'messages',
      'model',
    ]);
  });
});

describe('convertToAnthropicRequest: system messages', () => {
  it('moves a single system message into system as a string', () => {
    const body = convert([{ role: 'system', content: 'Be brief.' }, hi]);
    expect(body.system).toBe('Be brief.');
    expect(body.messages).toHaveLength(1);
  });

  it('hoists every system and developer message, mid-history ones too, in order', () => {
    const body = convert([
      { role: 'system', content: 'One.' },
      hi,
      { role: 'assistant', content: 'Hello' },
      { role: 'developer', content: [{ type: 'text', text: 'Two.' }] },
      { role: 'user', content: 'Again' },
    ]);
    expect(body.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
    ]);
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('skips empty system messages and leaves system out when none is left', () => {
    const body = convert([{ role: 'system', content: '  ' }, hi]);
    expect(body).not.toHaveProperty('system');
  });

  it('refuses a history of system messages only', () => {
    expect(() => convert([{ role: 'system', content: 'Only me.' }])).toThrow(invalid('messages'));
  });

  it('refuses an image in a system message', () => {
    const system: ChatMessage = {
      role: 'system',
      content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }],
    };
    expect(() => convert([system, hi])).toThrow(invalid('messages[0].content[0]'));
  });
});

describe('convertToAnthropicRequest: turns', () => {
  it('merges consecutive user and consecutive assistant messages into alternating turns', () => {
    const body = convert([
      hi,
      { role: 'user', content: 'there' },
      { role: 'assistant', content: 'A' },
      { role: 'assistant', content: 'B' },
      { role: 'user', content: 'C' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'there' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'A' },
          { type: 'text', text: 'B' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'C' }] },
    ]);
  });

  it('refuses a history whose first turn is the assistant, naming that message', () => {
    expect(() =>
      convert([{ role: 'system', content: 's' }, { role: 'assistant', content: 'Hi!' }, hi]),
    ).toThrow(invalid('messages[1].role'));
  });

  it('never sends an empty text block: empty parts go, and turns left empty vanish', () => {
    const body = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: '' },
          { type: 'text', text: 'Hi' },
        ],
      },
      { role: 'assistant', content: '' },
      { role: 'user', content: ' ' },
      { role: 'user', content: 'More' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'More' },
        ],
      },
    ]);
  });

  it('strips trailing whitespace from a final assistant message (a prefill)', () => {
    const body = convert([hi, { role: 'assistant', content: 'The answer is ' }]);
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'The answer is' }],
    });
  });

  it('drops message names, which Anthropic has no place for', () => {
    const body = convert([{ role: 'user', content: 'Hi', name: 'alice' }]);
    expect(body.messages[0]).toStrictEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Hi' }],
    });
  });

  it('sends an assistant refusal as what the assistant said', () => {
    const body = convert([
      hi,
      { role: 'assistant', content: null, refusal: 'I cannot help.' },
      { role: 'user', content: 'Ok' },
    ]);
    expect(body.messages[1].content).toEqual([{ type: 'text', text: 'I cannot help.' }]);
  });

  it('refuses an image in an assistant message', () => {
    const assistant: ChatMessage = {
      role: 'assistant',
      content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }],
    };
    expect(() => convert([hi, assistant])).toThrow(invalid('messages[1].content[0]'));
  });

  it('refuses an unknown role, naming it', () => {
    const odd = { role: 'critic', content: 'x' } as unknown as ChatMessage;
    expect(() => convert([hi, odd])).toThrow(invalid('messages[1].role'));
  });
});

describe('convertToAnthropicRequest: images', () => {
  const image = (url: string): ChatMessage => ({
    role: 'user',
    content: [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url, detail: 'high' } },
    ],
  });

  it('sends a base64 data URL as a base64 source with its media type', () => {
    const body = convert([image('data:image/png;base64,iVBORw0KGgo=')]);
    expect(body.messages[0].content[1]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
    });
  });

  it('accepts data URLs with extra parameters and reads image/jpg as image/jpeg', () => {
    const body = convert([image('data:image/JPG;name=cat.jpg;base64,/9j/4AAQ')]);
    expect(body.messages[0].content[1]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' },
    });
  });

  it('sends an http(s) URL as a url source, for Anthropic to fetch', () => {
    const body = convert([image('https://example.com/cat.webp')]);
    expect(body.messages[0].content[1]).toEqual({
      type: 'image',
      source: { type: 'url', url: 'https://example.com/cat.webp' },
    });
  });

  it.each([
    ['an unsupported media type', 'data:image/svg+xml;base64,PHN2Zz4='],
    ['a data URL that is not base64', 'data:image/png,rawbytes'],
    ['a data URL with invalid base64', 'data:image/png;base64,@@@'],
    ['an ftp URL', 'ftp://example.com/a.png'],
    ['no URL at all', 'cat.png'],
  ])('refuses %s, naming the part, instead of dropping the image', (_label, url) => {
    expect(() => convert([image(url)])).toThrow(invalid('messages[0].content[1].image_url.url'));
  });
});

describe('convertToAnthropicRequest: tools', () => {
  it('sends tools with their whole parameters schema as input_schema', () => {
    const body = convert([hi], { tools: [weather] });
    expect(body.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather for a city',
        input_schema: weather.function.parameters,
      },
    ]);
  });

  it('gives a tool without parameters an empty object schema and adds a missing type', () => {
    const body = convert([hi], {
      tools: [
        { type: 'function', function: { name: 'now' } },
        { type: 'function', function: { name: 'x', parameters: { properties: {} } } },
      ],
    });
    expect(body.tools?.map((t) => t.input_schema)).toEqual([
      { type: 'object', properties: {} },
      { type: 'object', properties: {} },
    ]);
  });

  it('refuses a tool whose parameters are not an object schema', () => {
    const tool: ToolDefinition = {
      type: 'function',
      function: { name: 'x', parameters: { type: 'string' } },
    };
    expect(() => convert([hi], { tools: [tool] })).toThrow(
      invalid('tools[0].function.parameters.type'),
    );
  });

  it('leaves out an empty tools list and its tool_choice', () => {
    const body = convert([hi], { tools: [], tool_choice: 'auto' });
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'tool', name: 'get_weather' },
    ],
  ] as const)('maps tool_choice %j to %j, keeping the tools', (choice, expected) => {
    const body = convert([hi], { tools: [weather], tool_choice: choice });
    expect(body.tool_choice).toEqual(expected);
    expect(body.tools).toHaveLength(1);
  });

  it('sends parallel_tool_calls: false as disable_parallel_tool_use', () => {
    expect(convert([hi], { tools: [weather], parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(
      convert([hi], { tools: [weather], tool_choice: 'required', parallel_tool_calls: false })
        .tool_choice,
    ).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(
      convert([hi], { tools: [weather], tool_choice: 'none', parallel_tool_calls: false })
        .tool_choice,
    ).toEqual({ type: 'none' });
    expect(convert([hi], { tools: [weather], parallel_tool_calls: true })).not.toHaveProperty(
      'tool_choice',
    );
  });
});

import type { ChatMessage, ToolCall } from '../llm-types';
import { convertMessages } from './convert-anthropic-messages';
import { convertToAnthropicRequest } from './convert-to-anthropic-request';

const call = (id: string, name: string, args: string): ToolCall => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
});
/** A GatewayError 400 `invalid_value` naming `param` (an asymmetric matcher, as toThrow takes it). */
const invalid = (param: string): Error =>
  expect.objectContaining({ code: 'invalid_value', param }) as Error;

/** The two-tool turn of fixtures/two-tools-stream.sse, as an OpenAI client sends it back. */
const toolTurn: ChatMessage[] = [
  { role: 'user', content: 'Weather and time in Boston?' },
  {
    role: 'assistant',
    content: 'Checking both.',
    tool_calls: [
      call('toolu_A', 'get_weather', '{"city": "Boston"}'),
      call('toolu_B', 'get_time', ''),
    ],
  },
  { role: 'tool', tool_call_id: 'toolu_A', content: '{"temp_c": 21}' },
  { role: 'tool', tool_call_id: 'toolu_B', content: '14:05' },
];

describe('convertMessages: tool calls and results', () => {
  it('sends tool calls as tool_use blocks after the text, and consecutive results as one user turn', () => {
    expect(convertMessages(toolTurn).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather and time in Boston?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_A', name: 'get_weather', input: { city: 'Boston' } },
          { type: 'tool_use', id: 'toolu_B', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_A', content: '{"temp_c": 21}' },
          { type: 'tool_result', tool_use_id: 'toolu_B', content: '14:05' },
        ],
      },
    ]);
  });

  it('sends a tool-only assistant turn (content null or "") as tool_use blocks only', () => {
    for (const content of [null, '']) {
      const [, assistant] = convertMessages([
        toolTurn[0],
        { role: 'assistant', content, tool_calls: [call('c1', 'f', '{}')] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ]).messages;
      expect(assistant.content).toEqual([{ type: 'tool_use', id: 'c1', name: 'f', input: {} }]);
    }
  });

  it('puts a user message that follows the results into their turn, after them', () => {
    const { messages } = convertMessages([...toolTurn, { role: 'user', content: 'Thanks' }]);
    expect(messages).toHaveLength(3);
    expect(messages[2].content.map((block) => block.type)).toEqual([
      'tool_result',
      'tool_result',
      'text',
    ]);
  });

  it('moves results before a user text that came between the calls and the results', () => {
    const { messages } = convertMessages([
      toolTurn[0],
      toolTurn[1],
      { role: 'user', content: 'Hurry' },
      toolTurn[2],
      toolTurn[3],
    ]);
    expect(messages[2].content.map((block) => block.type)).toEqual([
      'tool_result',
      'tool_result',
      'text',
    ]);
  });

  it('leaves content out of an empty tool result, and sends text parts as text blocks', () => {
    const { messages } = convertMessages([
      toolTurn[0],
      toolTurn[1],
      { role: 'tool', tool_call_id: 'toolu_A', content: '' },
      { role: 'tool', tool_call_id: 'toolu_B', content: [{ type: 'text', text: '14:05' }] },
    ]);
    expect(messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_A' },
      { type: 'tool_result', tool_use_id: 'toolu_B', content: [{ type: 'text', text: '14:05' }] },
    ]);
  });

  it('rewrites characters Anthropic refuses in tool ids the same way on both sides', () => {
    const { messages } = convertMessages([
      toolTurn[0],
      { role: 'assistant', content: null, tool_calls: [call('fc.1:a', 'f', '{}')] },
      { role: 'tool', tool_call_id: 'fc.1:a', content: 'ok' },
    ]);
    expect(messages[1].content[0]).toMatchObject({ type: 'tool_use', id: 'fc_1_a' });
    expect(messages[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'fc_1_a' });
  });

  it.each([
    ['invalid JSON', '{"city": "Bos'],
    ['a JSON array', '[1, 2]'],
    ['a JSON string', '"Boston"'],
  ])('refuses tool call arguments that are %s, naming the field', (_label, args) => {
    expect(() =>
      convertMessages([
        toolTurn[0],
        { role: 'assistant', content: null, tool_calls: [call('c1', 'f', args)] },
      ]),
    ).toThrow(invalid('messages[1].tool_calls[0].function.arguments'));
  });

  it('refuses a tool result that answers no tool call of the assistant turn before it', () => {
    expect(() =>
      convertMessages([
        ...toolTurn.slice(0, 2),
        { role: 'tool', tool_call_id: 'nope', content: 'x' },
      ]),
    ).toThrow(invalid('messages[2].tool_call_id'));
    expect(() =>
      convertMessages([toolTurn[0], { role: 'tool', tool_call_id: 'toolu_A', content: 'x' }]),
    ).toThrow(invalid('messages[1].tool_call_id'));
    expect(() =>
      convertMessages([...toolTurn.slice(0, 2), { role: 'tool', content: 'x' }]),
    ).toThrow(invalid('messages[2].tool_call_id'));
  });

  it('sends the legacy function_call and its function answer as a matching tool_use/tool_result', () => {
    const { messages } = convertMessages([
      toolTurn[0],
      { role: 'assistant', content: null, function_call: { name: 'get_time', arguments: '' } },
      { role: 'function', name: 'get_time', content: '14:05' },
    ]);
    const use = messages[1].content[0];
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_time', input: {} });
    expect(messages[2].content).toEqual([
      { type: 'tool_result', tool_use_id: (use as { id: string }).id, content: '14:05' },
    ]);
  });

  it('refuses a function message that answers no function_call', () => {
    expect(() =>
      convertMessages([toolTurn[0], { role: 'function', name: 'get_time', content: '1' }]),
    ).toThrow(invalid('messages[1].name'));
  });

  it('declares the history’s tools again, with tool_choice none, when the request has none', () => {
    const body = convertToAnthropicRequest(
      { model: 'claude', messages: [...toolTurn, { role: 'user', content: 'And tomorrow?' }] },
      { stream: false },
    );
    expect(body.tools).toEqual([
      { name: 'get_weather', input_schema: { type: 'object' } },
      { name: 'get_time', input_schema: { type: 'object' } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'none' });
  });
});

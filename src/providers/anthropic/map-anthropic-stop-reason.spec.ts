import { mapAnthropicStopReason } from './map-anthropic-stop-reason';

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['compaction', 'stop'],
    [null, 'stop'],
    [undefined, 'stop'],
    [42, 'stop'],
  ])('maps %j to %s', (reason, expected) => {
    expect(mapAnthropicStopReason(reason, false)).toBe(expected);
  });

  it('reports tool_calls for an answer holding tool calls that says it ended normally', () => {
    expect(mapAnthropicStopReason('end_turn', true)).toBe('tool_calls');
    expect(mapAnthropicStopReason(null, true)).toBe('tool_calls');
  });

  it('keeps length and content_filter when the answer also holds tool calls', () => {
    expect(mapAnthropicStopReason('max_tokens', true)).toBe('length');
    expect(mapAnthropicStopReason('refusal', true)).toBe('content_filter');
  });
});

import type { FinishReason } from '../llm-types';

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/**
 * Anthropic's `stop_reason` as an OpenAI `finish_reason`. A null or unknown reason (the enum
 * grows) reads as `stop`: the answer did end. An answer that holds tool calls but says it
 * ended normally reports `tool_calls`, so clients run the tools they were given.
 */
export function mapAnthropicStopReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  const mapped = (typeof reason === 'string' ? FINISH_REASONS[reason] : undefined) ?? 'stop';
  return hasToolCalls && mapped === 'stop' ? 'tool_calls' : mapped;
}

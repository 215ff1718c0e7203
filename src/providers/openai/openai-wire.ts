import { malformedResponse } from '../http/classify-upstream';
import type { FinishReason, ToolCall, ToolCallDelta, Usage } from '../llm-types';

/** A decoded JSON object from the wire, before its shape is checked. */
export type WireObject = Record<string, unknown>;

export function isWireObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { malformedResponse };

export function parseWireJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message may quote the body: not kept.
    throw malformedResponse('not JSON');
  }
}

/** `id`, `created` and `model`: present on every completion and chunk of OpenAI-compatible servers. */
export function readEnvelope(value: WireObject): { id: string; created: number; model: string } {
  const { id, created, model } = value;
  if (typeof id !== 'string') throw malformedResponse('id is not a string');
  if (typeof created !== 'number') throw malformedResponse('created is not a number');
  if (typeof model !== 'string') throw malformedResponse('model is not a string');
  return { id, created, model };
}

export function readChoices(value: WireObject): WireObject[] {
  const { choices } = value;
  if (!Array.isArray(choices) || !choices.every(isWireObject)) {
    throw malformedResponse('choices is not an array of objects');
  }
  return choices;
}

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  function_call: 'tool_calls',
};

/**
 * Compatible servers (vLLM, Ollama...) sometimes invent reasons such as `abort` or `eos`; the
 * answer still ended, so they read as `stop` rather than failing a finished answer.
 */
export function readFinishReason(value: unknown): FinishReason | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw malformedResponse('finish_reason is not a string');
  return FINISH_REASONS[value] ?? 'stop';
}

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;

/** Missing or partial usage reads as zeros: several compatible servers omit it. */
export function readUsage(value: unknown): Usage {
  if (!isWireObject(value)) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const prompt = count(value.prompt_tokens);
  const completion = count(value.completion_tokens);
  const total =
    typeof value.total_tokens === 'number' ? count(value.total_tokens) : prompt + completion;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total,
  };
  const details = value.prompt_tokens_details;
  // Reported only when the prompt cache was hit: the usage of every other answer stays as it was.
  if (isWireObject(details) && count(details.cached_tokens) > 0) {
    usage.prompt_tokens_details = { cached_tokens: count(details.cached_tokens) };
  }
  return usage;
}

/** `refusal` has no place in the contract; a refusal with no content becomes the content. */
export function readContent(message: WireObject): string | null | undefined {
  const { content, refusal } = message;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw malformedResponse('content is not a string');
  }
  if (typeof refusal === 'string' && refusal !== '' && !content) return refusal;
  return content;
}

export function readToolCalls(value: unknown): ToolCall[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) throw malformedResponse('tool_calls is not an array');
  const calls = value.map((call): ToolCall => {
    if (!isWireObject(call) || !isWireObject(call.function)) {
      throw malformedResponse('tool call without a function');
    }
    const { id } = call;
    const { name, arguments: args } = call.function;
    if (typeof id !== 'string' || typeof name !== 'string') {
      throw malformedResponse('tool call without an id or name');
    }
    if (args !== undefined && typeof args !== 'string') {
      throw malformedResponse('tool call arguments are not a string');
    }
    return { id, type: 'function', function: { name, arguments: args ?? '' } };
  });
  return calls.length > 0 ? calls : undefined;
}

export function readToolCallDeltas(value: unknown): ToolCallDelta[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) throw malformedResponse('tool_calls is not an array');
  const deltas = value.map((call, position): ToolCallDelta => {
    if (!isWireObject(call)) throw malformedResponse('tool call delta is not an object');
    const delta: ToolCallDelta = { index: typeof call.index === 'number' ? call.index : position };
    if (typeof call.id === 'string') delta.id = call.id;
    if (call.type === 'function') delta.type = 'function';
    if (isWireObject(call.function)) {
      const fn: NonNullable<ToolCallDelta['function']> = {};
      if (typeof call.function.name === 'string') fn.name = call.function.name;
      if (typeof call.function.arguments === 'string') fn.arguments = call.function.arguments;
      delta.function = fn;
    }
    return delta;
  });
  return deltas.length > 0 ? deltas : undefined;
}

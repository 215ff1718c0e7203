import { classifyErrorObject } from './classify-openai-error';
import type { ChatChunk, ChunkChoice } from '../llm-types';
import {
  isWireObject,
  malformedResponse,
  parseWireJson,
  readChoices,
  readContent,
  readEnvelope,
  readFinishReason,
  readToolCallDeltas,
  readUsage,
  WireObject,
} from './openai-wire';

/**
 * Maps one decoded `chat.completion.chunk` to a ChatChunk, dropping vendor extras
 * (system_fingerprint, obfuscation, logprobs, `usage: null`...). An `{"error": ...}` event, which
 * OpenAI-compatible servers send when they fail mid-stream, throws a ProviderError classified by the error's type.
 */
export function mapOpenAiChunk(data: unknown): ChatChunk {
  if (!isWireObject(data)) throw malformedResponse('chunk is not an object');
  if (data.error !== undefined && data.error !== null) {
    throw classifyErrorObject(data.error, 'an error event mid-stream');
  }
  const { id, created, model } = readEnvelope(data);
  const chunk: ChatChunk = { id, created, model, choices: readChoices(data).map(mapChoice) };
  if (isWireObject(data.usage)) chunk.usage = readUsage(data.usage);
  return chunk;
}

/** Parses the `data:` text of one SSE event and maps it. */
export function parseOpenAiChunk(data: string): ChatChunk {
  return mapOpenAiChunk(parseWireJson(data));
}

function mapChoice(choice: WireObject, position: number): ChunkChoice {
  // Azure's content-filter chunks carry no delta; an empty one keeps them harmless.
  const delta = choice.delta === undefined ? {} : choice.delta;
  if (!isWireObject(delta)) throw malformedResponse('chunk choice delta is not an object');
  const mapped: ChunkChoice['delta'] = {};
  if (delta.role === 'assistant') mapped.role = 'assistant';
  const content = readContent(delta);
  if (typeof content === 'string') mapped.content = content;
  const toolCalls = readToolCallDeltas(delta.tool_calls);
  if (toolCalls !== undefined) mapped.tool_calls = toolCalls;
  return {
    index: typeof choice.index === 'number' ? choice.index : position,
    delta: mapped,
    finish_reason: readFinishReason(choice.finish_reason),
  };
}

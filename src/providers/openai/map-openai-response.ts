import { classifyErrorObject } from './classify-openai-error';
import type { ChatChoice, ChatResult } from '../llm-types';
import {
  isWireObject,
  malformedResponse,
  readChoices,
  readContent,
  readEnvelope,
  readFinishReason,
  readToolCalls,
  readUsage,
  WireObject,
} from './openai-wire';

/**
 * Maps a decoded `chat.completion` to a ChatResult, keeping only contract fields: vendor extras
 * (system_fingerprint, service_tier, logprobs, annotations, usage details...) are dropped.
 * Throws a ProviderError for anything that is not a readable completion.
 */
export function mapOpenAiResponse(body: unknown): ChatResult {
  if (!isWireObject(body)) throw malformedResponse('completion is not an object');
  if (body.error !== undefined && body.error !== null) {
    // Some compatible servers report failures with HTTP 200 and an error object.
    throw classifyErrorObject(body.error, 'an error object in a 200 completion');
  }
  const { id, created, model } = readEnvelope(body);
  const choices = readChoices(body).map(mapChoice);
  return { id, created, model, choices, usage: readUsage(body.usage) };
}

function mapChoice(choice: WireObject, position: number): ChatChoice {
  const { message } = choice;
  if (!isWireObject(message)) throw malformedResponse('choice without a message');
  const toolCalls = readToolCalls(message.tool_calls);
  return {
    index: typeof choice.index === 'number' ? choice.index : position,
    message: {
      role: 'assistant',
      content: readContent(message) ?? null,
      ...(toolCalls === undefined ? {} : { tool_calls: toolCalls }),
    },
    finish_reason: readFinishReason(choice.finish_reason),
  };
}

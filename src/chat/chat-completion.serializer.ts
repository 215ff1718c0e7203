import type { ChatChunk, ChatResult, ChunkChoice, Usage } from '../providers/llm-types';

/**
 * The response bodies (README "Responses and errors"), built field by field so nothing a provider added can leak
 * through, whatever the adapter returned.
 */
export interface ChatCompletionBody extends ChatResult {
  object: 'chat.completion';
}

export interface ChatCompletionChunkBody {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChunkChoice[];
  usage?: Usage;
}

function usageOf(u: Usage): Usage {
  const usage: Usage = {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.total_tokens,
  };
  if (u.prompt_tokens_details !== undefined) {
    usage.prompt_tokens_details = { cached_tokens: u.prompt_tokens_details.cached_tokens };
  }
  return usage;
}

export function toCompletionBody(result: ChatResult): ChatCompletionBody {
  return {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map((c) => ({
      index: c.index,
      message:
        c.message.tool_calls === undefined
          ? { role: 'assistant', content: c.message.content }
          : { role: 'assistant', content: c.message.content, tool_calls: c.message.tool_calls },
      finish_reason: c.finish_reason,
    })),
    usage: usageOf(result.usage),
  };
}

export function toChunkBody(chunk: ChatChunk, includeUsage: boolean): ChatCompletionChunkBody {
  const body: ChatCompletionChunkBody = {
    id: chunk.id,
    object: 'chat.completion.chunk',
    created: chunk.created,
    model: chunk.model,
    choices: chunk.choices.map((c) => ({
      index: c.index,
      delta: c.delta,
      finish_reason: c.finish_reason,
    })),
  };
  if (includeUsage && chunk.usage) body.usage = usageOf(chunk.usage);
  return body;
}

/** A usage-only chunk (no choices) that the client did not ask for. */
export const isUnrequestedUsageChunk = (chunk: ChatChunk, includeUsage: boolean): boolean =>
  !includeUsage && chunk.choices.length === 0;

import type { Usage } from '../llm-types';
import { isWireObject } from './anthropic-wire';

/** Anthropic's four counters: uncached input, cache writes, cache reads, output. */
export interface AnthropicTokenCounts {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

export const NO_TOKENS: AnthropicTokenCounts = { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 };

const FIELDS = {
  input: 'input_tokens',
  cacheWrite: 'cache_creation_input_tokens',
  cacheRead: 'cache_read_input_tokens',
  output: 'output_tokens',
} as const;

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/** A `usage` object's counters; missing, null or unreadable ones are 0. */
export function readAnthropicUsage(value: unknown): AnthropicTokenCounts {
  return updateAnthropicUsage(NO_TOKENS, value);
}

/**
 * Counters updated by a later `usage` (a stream's `message_delta`). Every value is a running
 * total, so it replaces the earlier one and is never added to it. Output tokens are taken
 * whenever given; the input counters only when positive, since a `message_delta` may leave
 * them out or send 0 after `message_start` reported the real numbers.
 */
export function updateAnthropicUsage(
  counts: AnthropicTokenCounts,
  value: unknown,
): AnthropicTokenCounts {
  if (!isWireObject(value)) return counts;
  const next = { ...counts };
  for (const key of ['input', 'cacheWrite', 'cacheRead'] as const) {
    const n = count(value[FIELDS[key]]);
    if (n !== undefined && n > 0) next[key] = n;
  }
  next.output = count(value[FIELDS.output]) ?? counts.output;
  return next;
}

/**
 * OpenAI usage: Anthropic's `input_tokens` counts only the uncached tail of the prompt, so the
 * prompt is input + cache writes + cache reads, and the cache reads are the cached tokens.
 * `prompt_tokens_details` is present only when the cache was read, as the openai adapter
 * reports it: a client sees the same usage form whichever adapter served it.
 */
export function toUsage(counts: AnthropicTokenCounts): Usage {
  const prompt = counts.input + counts.cacheWrite + counts.cacheRead;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: counts.output,
    total_tokens: prompt + counts.output,
  };
  if (counts.cacheRead > 0) usage.prompt_tokens_details = { cached_tokens: counts.cacheRead };
  return usage;
}

import { GatewayError } from '../../common/errors/gateway-error';
import type { ChatRequest } from '../llm-types';
import { AnthropicRequestBody, DEFAULT_MAX_TOKENS } from './anthropic-wire';
import { convertMessages } from './convert-anthropic-messages';
import { convertToolChoice, convertTools, toolsForHistory } from './convert-anthropic-tools';

export interface ConvertOptions {
  stream: boolean;
  /** `max_tokens` when the request sets neither `max_tokens` nor `max_completion_tokens`. */
  defaultMaxTokens?: number;
}

/** Anthropic's `metadata.user_id` limit; longer ids are left out rather than refused. */
const MAX_USER_ID_CHARS = 256;
/** Anthropic refuses user ids that look like an email address or a phone number. */
const LOOKS_PERSONAL = [/\S+@\S+\.\S+/, /^\+?[\d\s().-]{7,}$/];

/**
 * Builds the `/v1/messages` body from contract fields only, so nothing the client sent beyond
 * them can reach the provider. Where OpenAI and Anthropic differ:
 * - `max_completion_tokens` wins over `max_tokens`; with neither, `defaultMaxTokens`
 *   (Anthropic requires the field). 0 is refused: Anthropic reads it as "produce nothing".
 * - `temperature` above 1 is clamped to 1 (OpenAI allows 0..2, Anthropic 0..1);
 * - `top_p` is sent only without `temperature`: recent Claude models refuse both together;
 * - `stop` becomes `stop_sequences`, without the whitespace-only sequences Anthropic refuses;
 * - `safety_identifier` (or `user`) becomes `metadata.user_id`, unless it is too long or looks
 *   like an email address or phone number, which Anthropic refuses;
 * - a history with tool calls keeps tools declared (see toolsForHistory).
 */
export function convertToAnthropicRequest(
  request: ChatRequest,
  options: ConvertOptions,
): AnthropicRequestBody {
  const { system, messages } = convertMessages(request.messages);
  const body: AnthropicRequestBody = {
    model: request.model,
    max_tokens: maxTokens(request, options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS),
    messages,
  };
  if (system !== undefined) body.system = system;
  if (request.temperature !== undefined) body.temperature = Math.min(request.temperature, 1);
  else if (request.top_p !== undefined) body.top_p = request.top_p;
  const stop = stopSequences(request.stop);
  if (stop !== undefined) body.stop_sequences = stop;

  const tools = convertTools(request.tools);
  if (tools !== undefined) {
    body.tools = tools;
    const choice = convertToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (choice !== undefined) body.tool_choice = choice;
  } else {
    const declared = toolsForHistory(messages);
    if (declared !== undefined) {
      body.tools = declared;
      body.tool_choice = { type: 'none' };
    }
  }

  const userId = request.safety_identifier ?? request.user;
  if (userId !== undefined && acceptableUserId(userId)) body.metadata = { user_id: userId };
  if (options.stream) body.stream = true;
  return body;
}

function maxTokens(request: ChatRequest, fallback: number): number {
  const [param, value] =
    request.max_completion_tokens !== undefined
      ? ['max_completion_tokens', request.max_completion_tokens]
      : ['max_tokens', request.max_tokens ?? fallback];
  if (!Number.isInteger(value) || value < 1) {
    throw new GatewayError(
      'invalid_value',
      `${param} must be a positive integer for this provider.`,
      {
        param,
      },
    );
  }
  return value;
}

function stopSequences(stop: string | string[] | undefined): string[] | undefined {
  if (stop === undefined) return undefined;
  const sequences = (typeof stop === 'string' ? [stop] : stop).filter((s) => s.trim() !== '');
  return sequences.length > 0 ? sequences : undefined;
}

function acceptableUserId(id: string): boolean {
  return (
    id !== '' &&
    id.length <= MAX_USER_ID_CHARS &&
    !LOOKS_PERSONAL.some((pattern) => pattern.test(id))
  );
}

import {
  OPTIONAL_PARAMS,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type OptionalChatParams,
  type OptionalParam,
} from '../llm-types';

/** The body POSTed to `/chat/completions`. */
export interface OpenAiRequestBody extends OptionalChatParams {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string | string[];
  tools?: ChatRequest['tools'];
  tool_choice?: ChatRequest['tool_choice'];
  stream?: true;
  stream_options?: { include_usage: true };
}

/**
 * Builds the upstream body from contract fields only, copied field by field, so nothing the
 * client sent beyond the contract (conversation_id, routing hints...) can reach the provider.
 * Streams always ask for usage: the gateway reports it even when the client did not ask.
 */
export function convertToOpenAiRequest(
  request: ChatRequest,
  options: { stream: boolean },
): OpenAiRequestBody {
  const body: OpenAiRequestBody = {
    model: request.model,
    messages: request.messages.map(convertMessage),
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.max_tokens !== undefined) body.max_tokens = request.max_tokens;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.tools !== undefined) body.tools = request.tools;
  if (request.tool_choice !== undefined) body.tool_choice = request.tool_choice;
  // OpenAI's own fields go as they came: this adapter speaks OpenAI's API.
  for (const key of OPTIONAL_PARAMS) {
    if (request[key] !== undefined)
      (body as Partial<Record<OptionalParam, unknown>>)[key] = request[key];
  }
  if (options.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

function convertMessage(message: ChatMessage): ChatMessage {
  const converted: ChatMessage = {
    role: message.role,
    content: Array.isArray(message.content) ? message.content.map(convertPart) : message.content,
  };
  if (message.name !== undefined) converted.name = message.name;
  if (message.tool_call_id !== undefined) converted.tool_call_id = message.tool_call_id;
  if (message.tool_calls !== undefined) converted.tool_calls = message.tool_calls;
  if (message.refusal !== undefined) converted.refusal = message.refusal;
  if (message.audio !== undefined) converted.audio = message.audio;
  if (message.function_call !== undefined) converted.function_call = message.function_call;
  return converted;
}

function convertPart(part: ContentPart): ContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const { url, detail } = part.image_url;
  return { type: 'image_url', image_url: detail === undefined ? { url } : { url, detail } };
}

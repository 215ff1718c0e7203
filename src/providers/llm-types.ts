/**
 * Gateway-owned request/result types shared by every LlmAdapter. They follow the OpenAI chat
 * wire shape (snake_case) because that is Sentinel's native format; adapters map vendor JSON to
 * and from these and nothing vendor-specific crosses this line.
 */
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[] | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: ToolCall[];
  /** Assistant turns as OpenAI returned them: a refusal instead of content. */
  refusal?: string;
  /** Assistant turns: a reference to earlier audio output. */
  audio?: { id: string };
  /** Assistant turns of the legacy function-calling API. */
  function_call?: { name: string; arguments: string };
}

export interface ToolDefinition {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
}

export type ToolChoice =
  'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/**
 * OpenAI's documented request fields beyond the core ones. Every adapter forwards the core
 * fields; of these, each forwards only those it lists in `LlmAdapter.supportedParams`, and the
 * gateway drops the rest (naming them in `x-sentinel-dropped-params`).
 */
export const OPTIONAL_PARAMS = [
  'n',
  'seed',
  'response_format',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'parallel_tool_calls',
  'max_completion_tokens',
  'metadata',
  'reasoning_effort',
  'service_tier',
  'store',
  'modalities',
  'audio',
  'prediction',
  'web_search_options',
  'prompt_cache_key',
  'safety_identifier',
  'verbosity',
] as const;
export type OptionalParam = (typeof OPTIONAL_PARAMS)[number];

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean;
      };
    };

/** The optional OpenAI fields as the gateway holds them (validated, nulls already dropped). */
export interface OptionalChatParams {
  n?: number;
  seed?: number;
  response_format?: ResponseFormat;
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number>;
  logprobs?: boolean;
  top_logprobs?: number;
  user?: string;
  parallel_tool_calls?: boolean;
  max_completion_tokens?: number;
  metadata?: Record<string, string>;
  reasoning_effort?: string;
  service_tier?: string;
  store?: boolean;
  modalities?: string[];
  audio?: Record<string, unknown>;
  prediction?: Record<string, unknown>;
  web_search_options?: Record<string, unknown>;
  prompt_cache_key?: string;
  safety_identifier?: string;
  verbosity?: string;
}

/** Everything a provider receives except the model: the neutral, validated request. */
export interface ChatParams extends OptionalChatParams {
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string | string[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
}

/** A validated request as a provider receives it: `model` is the provider's own model name. */
export interface ChatRequest extends ChatParams {
  model: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Present when the provider reports prompt-cache reads (OpenAI's shape). */
  prompt_tokens_details?: { cached_tokens: number };
}

export interface ChatChoice {
  index: number;
  message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] };
  finish_reason: FinishReason | null;
}

export interface ChatResult {
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model the provider reports having used. */
  model: string;
  choices: ChatChoice[];
  usage: Usage;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChunkChoice {
  index: number;
  delta: { role?: 'assistant'; content?: string | null; tool_calls?: ToolCallDelta[] };
  finish_reason: FinishReason | null;
}

export interface ChatChunk {
  id: string;
  created: number;
  model: string;
  choices: ChunkChoice[];
  usage?: Usage | null;
}

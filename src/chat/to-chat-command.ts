import {
  OPTIONAL_PARAMS,
  type ChatMessage,
  type ChatParams,
  type OptionalParam,
  type ToolDefinition,
} from '../providers/llm-types';
import type { ChatCommand } from './chat-command';
import type { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import type { ChatMessageDto } from './dto/chat-message.dto';
import type { ToolDto } from './dto/tool.dto';

/**
 * A plain JSON copy without `undefined` keys: DTO instances (and their absent fields) become
 * the plain objects the contract types describe. Nulls inside free-form JSON (a tool's
 * `parameters` schema) are the client's and are kept.
 */
function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plain) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) copy[key] = plain(field);
  }
  return copy as T;
}

function toMessage(m: ChatMessageDto): ChatMessage {
  const message: ChatMessage = { role: m.role, content: plain(m.content ?? null) };
  if (m.name !== undefined) message.name = m.name;
  if (m.tool_call_id !== undefined) message.tool_call_id = m.tool_call_id;
  if (m.tool_calls !== undefined) message.tool_calls = plain(m.tool_calls);
  if (m.refusal !== undefined) message.refusal = m.refusal;
  if (m.audio !== undefined) message.audio = { id: m.audio.id };
  if (m.function_call !== undefined) {
    message.function_call = { name: m.function_call.name, arguments: m.function_call.arguments };
  }
  return message;
}

function toTool(t: ToolDto): ToolDefinition {
  return { type: t.type, function: plain(t.function) };
}

/**
 * The one copy from the validated DTO (nulls already read as absent) to the neutral command:
 * `params` holds exactly what may travel upstream (minus the model, which routing decides);
 * `conversation_id`, `tier`, `stream` and `stream_options` steer the gateway and stay outside.
 */
export function toChatCommand(dto: ChatCompletionRequestDto): ChatCommand {
  const params: ChatParams = { messages: dto.messages.map(toMessage) };
  if (dto.temperature !== undefined) params.temperature = dto.temperature;
  if (dto.top_p !== undefined) params.top_p = dto.top_p;
  if (dto.max_tokens !== undefined) params.max_tokens = dto.max_tokens;
  if (dto.stop !== undefined) params.stop = plain(dto.stop);
  if (dto.tools !== undefined) params.tools = dto.tools.map(toTool);
  if (dto.tool_choice !== undefined) params.tool_choice = plain(dto.tool_choice);
  for (const key of OPTIONAL_PARAMS) {
    // Indexing the DTO by every OPTIONAL_PARAMS key fails to compile if it lacks one.
    const value: unknown = dto[key];
    if (value !== undefined)
      (params as Partial<Record<OptionalParam, unknown>>)[key] = plain(value);
  }

  const command: ChatCommand = {
    stream: dto.stream === true,
    includeUsage: dto.stream_options?.include_usage === true,
    params,
  };
  if (dto.model !== undefined) command.model = dto.model;
  if (dto.conversation_id !== undefined) command.conversationId = dto.conversation_id;
  if (dto.tier !== undefined) command.tier = dto.tier;
  return command;
}

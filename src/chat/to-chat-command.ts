import type { ChatMessage, ChatParams } from '../providers/llm-types';
import type { ChatCommand } from './chat-command';
import type { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import type { ChatMessageDto } from './dto/chat-message.dto';

const defined = (v: unknown): boolean => v !== undefined && v !== null;

function toMessage(m: ChatMessageDto): ChatMessage {
  const message: ChatMessage = { role: m.role, content: m.content ?? null };
  if (defined(m.name)) message.name = m.name;
  if (defined(m.tool_call_id)) message.tool_call_id = m.tool_call_id;
  if (defined(m.tool_calls)) {
    message.tool_calls = (m.tool_calls ?? []).map((c) => ({
      id: c.id,
      type: c.type,
      function: { name: c.function.name, arguments: c.function.arguments },
    }));
  }
  return message;
}

/** The one copy from the validated DTO to the neutral command. */
export function toChatCommand(dto: ChatCompletionRequestDto): ChatCommand {
  const params: ChatParams = { messages: dto.messages.map(toMessage) };
  if (defined(dto.temperature)) params.temperature = dto.temperature;
  if (defined(dto.top_p)) params.top_p = dto.top_p;
  if (defined(dto.max_tokens)) params.max_tokens = dto.max_tokens;
  if (defined(dto.stop)) params.stop = dto.stop;
  if (defined(dto.tools)) {
    params.tools = (dto.tools ?? []).map((t) => ({
      type: t.type,
      function: {
        name: t.function.name,
        ...(defined(t.function.description) && { description: t.function.description }),
        ...(defined(t.function.parameters) && { parameters: t.function.parameters }),
        ...(defined(t.function.strict) && { strict: t.function.strict }),
      },
    }));
  }
  if (defined(dto.tool_choice)) params.tool_choice = dto.tool_choice;
  return {
    model: dto.model ?? undefined,
    conversationId: dto.conversation_id ?? undefined,
    stream: dto.stream === true,
    includeUsage: dto.stream_options?.include_usage === true,
    params,
  };
}

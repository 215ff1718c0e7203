import { Injectable } from '@nestjs/common';
import type { RequestFacts } from '../common/http/request-facts';
import { toGatewayError } from '../common/errors/to-gateway-error';
import type { LlmCallContext } from '../providers/llm-provider.interface';
import type { ChatChunk, ChatMessage, ChatRequest } from '../providers/llm-types';
import { ChatCompletionBody, toCompletionBody } from './chat-completion.serializer';
import type { ChatRoute } from './chat-route';
import type { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import type { ChatMessageDto } from './dto/chat-message.dto';

function toMessage(m: ChatMessageDto): ChatMessage {
  const message: ChatMessage = { role: m.role, content: m.content ?? null };
  if (m.name !== undefined) message.name = m.name;
  if (m.tool_call_id !== undefined) message.tool_call_id = m.tool_call_id;
  if (m.tool_calls !== undefined && m.tool_calls !== null) {
    message.tool_calls = m.tool_calls.map((c) => ({
      id: c.id,
      type: c.type,
      function: { name: c.function.name, arguments: c.function.arguments },
    }));
  }
  return message;
}

/**
 * What the provider receives: the routed model and the generation fields, nothing else —
 * `conversation_id`, `stream` and client headers never travel upstream.
 */
export function toChatRequest(dto: ChatCompletionRequestDto, model: string): ChatRequest {
  const request: ChatRequest = { model, messages: dto.messages.map(toMessage) };
  if (dto.temperature !== undefined) request.temperature = dto.temperature;
  if (dto.top_p !== undefined) request.top_p = dto.top_p;
  if (dto.max_tokens !== undefined) request.max_tokens = dto.max_tokens;
  if (dto.stop !== undefined) request.stop = dto.stop;
  if (dto.tools !== undefined) {
    request.tools = dto.tools.map((t) => ({
      type: t.type,
      function: {
        name: t.function.name,
        ...(t.function.description !== undefined && { description: t.function.description }),
        ...(t.function.parameters !== undefined && { parameters: t.function.parameters }),
        ...(t.function.strict !== undefined && { strict: t.function.strict }),
      },
    }));
  }
  if (dto.tool_choice !== undefined) request.tool_choice = dto.tool_choice;
  return request;
}

/**
 * Calls the routed provider and normalizes what comes back (SPEC §4 "Response"), noting in the
 * request's facts when the provider was called, when it answered and how it failed.
 */
@Injectable()
export class ChatService {
  async complete(
    route: ChatRoute,
    dto: ChatCompletionRequestDto,
    context: LlmCallContext,
    facts: RequestFacts,
  ): Promise<ChatCompletionBody> {
    const request = toChatRequest(dto, route.model);
    facts.mode = 'json';
    facts.upstreamStartedAt = performance.now();
    try {
      const result = await route.provider.complete(request, context);
      facts.upstreamRespondedAt = performance.now();
      return toCompletionBody(result);
    } catch (error) {
      noteFailure(facts, error, context.signal);
      throw error;
    }
  }

  async stream(
    route: ChatRoute,
    dto: ChatCompletionRequestDto,
    context: LlmCallContext,
    facts: RequestFacts,
  ): Promise<AsyncIterable<ChatChunk>> {
    const request = toChatRequest(dto, route.model);
    facts.mode = 'stream';
    facts.upstreamStartedAt = performance.now();
    try {
      const chunks = await route.provider.stream(request, context);
      facts.upstreamRespondedAt = performance.now();
      return chunks;
    } catch (error) {
      noteFailure(facts, error, context.signal);
      throw error;
    }
  }
}

/** A client that left is not a provider failure, and its timings would mislead. */
function noteFailure(facts: RequestFacts, error: unknown, signal: AbortSignal): void {
  if (signal.aborted) return;
  facts.upstreamRespondedAt = performance.now();
  facts.upstreamError = toGatewayError(error).code;
}

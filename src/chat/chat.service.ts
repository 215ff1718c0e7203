import { Injectable } from '@nestjs/common';
import type { RequestFacts } from '../common/http/request-facts';
import { toGatewayError } from '../common/errors/to-gateway-error';
import type { LlmCallContext } from '../providers/llm-provider.interface';
import type { ChatChunk, ChatRequest } from '../providers/llm-types';
import { ChatCompletionBody, toCompletionBody } from './chat-completion.serializer';
import type { ChatRoute } from './chat-route';
import type { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { toChatCommand } from './to-chat-command';

/**
 * What the provider receives: the routed model and the command's params, nothing else —
 * `conversation_id`, `tier`, `stream` and client headers never travel upstream.
 */
export function toChatRequest(dto: ChatCompletionRequestDto, model: string): ChatRequest {
  return { model, ...toChatCommand(dto).params };
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

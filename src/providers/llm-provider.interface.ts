import type { ChatChunk, ChatRequest, ChatResult } from './llm-types';

/**
 * An LLM backend. Implementations live in `src/providers/<name>/` and are registered with one
 * line in `llm-providers.ts`. They throw GatewayError for every failure a client should see
 * (`provider_error`, `provider_rejected_request`, `upstream_timeout`, `upstream_rate_limited`),
 * with client-safe messages: never an upstream body or key.
 */
export interface LlmProvider {
  /** Routing prefix: `<name>/<model>` reaches this provider. Lowercase, stable. */
  readonly name: string;
  /** False when configuration leaves it off; disabled providers are not routable. */
  readonly enabled: boolean;

  /** One complete answer. */
  complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult>;

  /**
   * Starts a streamed answer. Resolves once the upstream has accepted the request (so errors
   * before that become ordinary HTTP errors), then yields chunks as they arrive. An error while
   * iterating ends the stream; the gateway turns it into an SSE error event.
   */
  stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>>;
}

export interface LlmCallContext {
  /** Aborted when the client goes away or the gateway gives up: stop all upstream work. */
  signal: AbortSignal;
  requestId: string;
}

/** Multi-provider token: every registered LlmProvider instance. */
export const LLM_PROVIDERS = Symbol('LLM_PROVIDERS');

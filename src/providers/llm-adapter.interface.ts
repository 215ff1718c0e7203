import type { DeploymentSpec } from './deployment-spec';
import type { ChatChunk, ChatRequest, ChatResult, OptionalParam } from './llm-types';

/**
 * A wire protocol (`openai`, `anthropic`, `echo`). It builds one LlmModel per deployment and
 * decides nothing else: no HTTP status for the client, no global configuration. A new adapter
 * is a folder under `src/providers/<kind>/` plus one entry in `llm-adapters.ts`.
 */
export interface LlmAdapter {
  /** The `provider` name deployments use; lowercase, stable. */
  readonly kind: string;
  /** Optional OpenAI fields this protocol forwards; the gateway drops the others. */
  readonly supportedParams: ReadonlySet<OptionalParam>;
  /** Whether deployments of this kind need a key (`api_key_env`). */
  readonly requiresApiKey: boolean;
  /** Used when a deployment names no base URL; undefined when none is needed. */
  readonly defaultBaseUrl?: string;

  createModel(spec: DeploymentSpec): LlmModel;
}

/**
 * One deployment's client: its own keep-alive pool, key and timeouts. Every failure rejects
 * with a ProviderError (or, when `context.signal` aborted, with the signal's reason). Never
 * retries on its own: routing owns the attempt budget.
 */
export interface LlmModel {
  readonly deploymentId: string;

  /** One complete answer. */
  complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult>;

  /**
   * Starts a streamed answer. Resolves once the upstream has accepted the request (so errors
   * before that are ordinary failures of the attempt), then yields chunks as they arrive. An
   * error while iterating (a ProviderError) ends the stream.
   */
  stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>>;

  /** Releases the pool. Idempotent. */
  close(): Promise<void>;
}

export interface LlmCallContext {
  /** Aborted when the client goes away or the gateway gives up: stop all upstream work. */
  signal: AbortSignal;
  requestId: string;
}

/** Multi-provider token: every registered LlmAdapter. */
export const LLM_ADAPTERS = Symbol('LLM_ADAPTERS');

/** Adapters registered from outside with `LlmAdaptersModule.register([...])`. */
export const EXTRA_LLM_ADAPTERS = Symbol('EXTRA_LLM_ADAPTERS');

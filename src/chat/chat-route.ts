import type { LlmProvider } from '../providers/llm-provider.interface';

/** `x-sentinel-session`: how the conversation binding was used for this request. */
export type SessionOutcome = 'none' | 'created' | 'reused' | 'unavailable';

/** The routing decision for one request: who serves it, with which model, and why. */
export interface ChatRoute {
  provider: LlmProvider;
  /** The provider's own model name, exactly what the upstream receives. */
  model: string;
  session: SessionOutcome;
}

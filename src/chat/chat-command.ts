import type { ChatParams } from '../providers/llm-types';

export const TIERS = ['simple', 'moderate', 'complex'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * One chat request as every surface hands it to ChatService: validated, `null`s already
 * dropped, copied once from the DTO. `params` is what an upstream may receive (minus the
 * model, which routing decides); the rest steers the gateway and never travels upstream.
 */
export interface ChatCommand {
  /** What the client named: a group, `provider/model` or a bare model name. */
  model?: string;
  conversationId?: string;
  tier?: Tier;
  stream: boolean;
  /** `stream_options.include_usage`: send the final usage chunk to the client. */
  includeUsage: boolean;
  params: ChatParams;
}

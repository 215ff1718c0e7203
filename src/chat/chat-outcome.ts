import type { ChatCompletionBody } from './chat-completion.serializer';
import type { RoutingDecision } from './routing-decision';

/**
 * What ChatService hands a surface once the answer is committed: the decision (final for the
 * headers) and the body, or the stream as already-serialized SSE events (ending with
 * `data: [DONE]` or an error event).
 */
export type ChatOutcome =
  | { kind: 'json'; decision: RoutingDecision; body: ChatCompletionBody }
  | { kind: 'stream'; decision: RoutingDecision; events: AsyncIterable<string> };

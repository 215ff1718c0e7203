import { randomBytes } from 'node:crypto';

/** What the bench sends, identical bytes for every target of a scenario. */

export const BENCH_API_KEY = 'sk-bench-key-0123456789';
export const BENCH_CALLER = 'bench';
export const UPSTREAM_KEY = 'sk-bench-upstream';
/**
 * The group the routing-file gateway serves (three deployments of the mock's model); as long as
 * `openai/gpt-4o-mini`, so every target receives bodies of the same size.
 */
export const ROUTED_GROUP = 'openai-gpt-4o-mini';
/** The mock upstream streams this model's events SLOW_GAP_MS apart. */
export const SLOW_MODEL = 'bench-slow';
export const SLOW_GAP_MS = 50;
/** The mock's slow stream: five gaps of SLOW_GAP_MS from the first event to [DONE]. */
export const SLOW_STREAM_MS = 5 * SLOW_GAP_MS;

export const HEADERS: Record<string, string> = {
  'content-type': 'application/json',
  authorization: `Bearer ${BENCH_API_KEY}`,
};

const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
  { role: 'user', content: 'What is the capital of France, and why is it famous?' },
];

export interface BodyOptions {
  model?: string;
  conversationId?: string;
  stream?: boolean;
}

export function chatBody(options: BodyOptions = {}): string {
  return JSON.stringify({
    model: options.model ?? 'openai/gpt-4o-mini',
    messages: MESSAGES,
    ...(options.conversationId === undefined ? {} : { conversation_id: options.conversationId }),
    ...(options.stream === true ? { stream: true } : {}),
  });
}

/** Unique per bench process, so conversation ids never collide with an earlier run's. */
export const RUN_ID = randomBytes(4).toString('hex');

/** The ids of the conversations created before the sticky scenarios (existing sessions). */
export const stickyIds = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${RUN_ID}-sticky-${i.toString().padStart(6, '0')}`);

let fresh = 0;
/** A conversation id never used before (new-conversation scenario). */
export const freshId = (): string => `${RUN_ID}-new-${(fresh++).toString().padStart(9, '0')}`;

/** A body source for one scenario: every call returns the next request's body. */
export type BodySource = () => string;

export const constantBody =
  (body: string): BodySource =>
  () =>
    body;

export function rotatingBodies(ids: readonly string[], stream = false, model?: string): BodySource {
  const bodies = ids.map((id) => chatBody({ conversationId: id, stream, model }));
  let next = 0;
  return () => bodies[next++ % bodies.length];
}

export const freshBodies =
  (stream = false): BodySource =>
  () =>
    chatBody({ conversationId: freshId(), stream });

import type { ErrorEnvelope } from '../common/errors/gateway-error';
import type { ChatChunk } from '../providers/llm-types';
import { isUnrequestedUsageChunk, toChunkBody } from './chat-completion.serializer';

export const DONE_EVENT = 'data: [DONE]\n\n';

/** One chunk as an SSE event; null when the client did not ask for this (usage) chunk. */
export function chunkEvent(chunk: ChatChunk, includeUsage: boolean): string | null {
  if (isUnrequestedUsageChunk(chunk, includeUsage)) return null;
  return `data: ${JSON.stringify(toChunkBody(chunk, includeUsage))}\n\n`;
}

/** The event that ends a stream whose provider failed after content was sent. */
export function errorEvent(envelope: ErrorEnvelope): string {
  return `data: ${JSON.stringify(envelope)}\n\n`;
}

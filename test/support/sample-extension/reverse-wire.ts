import { malformedResponse } from '../../../src/providers/http/classify-upstream';
import type { ChatMessage, ChatRequest, ChatResult } from '../../../src/providers/llm-types';

/** The vendor's request body: `POST <base_url>/reverse`. */
export interface ReverseWireRequest {
  model: string;
  text: string;
}

/** The vendor's answer. It bills by character and cannot stream. */
export interface ReverseWireResponse {
  id: string;
  reversed: string;
  characters: { input: number; output: number };
}

const textOf = (message: ChatMessage): string =>
  typeof message.content === 'string'
    ? message.content
    : (message.content ?? []).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(' ');

/** Pure mapping, gateway → vendor: only the routed model and the last user message travel. */
export function toReverseRequest(request: ChatRequest): ReverseWireRequest {
  const lastUser = request.messages.findLast((m) => m.role === 'user');
  return { model: request.model, text: lastUser === undefined ? '' : textOf(lastUser) };
}

/** Pure mapping, vendor → gateway; anything unexpected is a `server` failure, never a 5xx crash. */
export function fromReverseResponse(raw: string, model: string, created: number): ChatResult {
  let parsed: Partial<ReverseWireResponse>;
  try {
    parsed = JSON.parse(raw) as Partial<ReverseWireResponse>;
  } catch {
    throw malformedResponse('reverse: body is not JSON');
  }
  const { id, reversed, characters } = parsed ?? {};
  if (
    typeof id !== 'string' ||
    typeof reversed !== 'string' ||
    typeof characters?.input !== 'number' ||
    typeof characters.output !== 'number'
  ) {
    throw malformedResponse('reverse: unexpected body shape');
  }
  return {
    id,
    created,
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: reversed }, finish_reason: 'stop' },
    ],
    usage: {
      prompt_tokens: characters.input,
      completion_tokens: characters.output,
      total_tokens: characters.input + characters.output,
    },
  };
}

import { CONVERSATION_ID } from '../../session/conversation-id';
import { TIERS } from '../chat-command';
import { BOUNDS, MODEL } from './chat-completion-request.dto';

/**
 * A compiled check of the request shape almost every chat client sends: `model`, plain string
 * messages of the system/developer/user/assistant roles, and a few scalar options. A body that
 * passes is valid as it is (the DTO's rules would accept it and change nothing), so the
 * validation pipe returns it without running class-transformer and class-validator. Anything
 * else, including every invalid body, answers `false` and takes the full DTO validation, which
 * alone decides what is rejected and how the error reads. `common-chat-body.spec.ts` holds it
 * to that: for every body it accepts, the DTO accepts the same body and yields the same command.
 *
 * Each rule below restates a decorator of ChatCompletionRequestDto / ChatMessageDto exactly
 * (or more strictly); a field this check does not know sends the body to the full path.
 */
const ROLES: ReadonlySet<unknown> = new Set(['system', 'developer', 'user', 'assistant']);
const TIER_SET: ReadonlySet<unknown> = new Set(TIERS);

const isFiniteIn = (value: unknown, { min, max }: { min: number; max: number }): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

function isCommonMessage(message: unknown): boolean {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  let keys = 0;
  for (const key in message) {
    if (key !== 'role' && key !== 'content') return false;
    keys++;
  }
  const { role, content } = message as { role?: unknown; content?: unknown };
  return keys === 2 && ROLES.has(role) && typeof content === 'string';
}

function isCommonField(key: string, value: unknown): boolean {
  switch (key) {
    case 'model':
      return typeof value === 'string' && MODEL.test(value);
    case 'messages':
      if (!Array.isArray(value) || value.length === 0) return false;
      for (let i = 0; i < value.length; i++) if (!isCommonMessage(value[i])) return false;
      return true;
    case 'conversation_id':
      return typeof value === 'string' && CONVERSATION_ID.test(value);
    case 'stream':
      return typeof value === 'boolean';
    case 'tier':
      return TIER_SET.has(value);
    case 'temperature':
      return isFiniteIn(value, BOUNDS.temperature);
    case 'top_p':
      return isFiniteIn(value, BOUNDS.top_p);
    case 'max_tokens':
      return Number.isInteger(value) && isFiniteIn(value, BOUNDS.max_tokens);
    case 'stream_options': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      for (const option in value) if (option !== 'include_usage') return false;
      return typeof (value as { include_usage?: unknown }).include_usage === 'boolean';
    }
    default:
      return false;
  }
}

/** True when `body` is certainly a valid chat request needing no transformation. */
export function isCommonChatBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  if (Object.getPrototypeOf(body) !== Object.prototype) return false;
  let hasMessages = false;
  for (const key in body) {
    if (!Object.prototype.hasOwnProperty.call(body, key)) return false;
    if (!isCommonField(key, (body as Record<string, unknown>)[key])) return false;
    if (key === 'messages') hasMessages = true;
  }
  return hasMessages;
}

const DETAILS = new Set(['auto', 'low', 'high']);

import { isPlainObject } from '../../common/validation/json-object';

const onlyKeys = (v: Record<string, unknown>, allowed: readonly string[]): boolean =>
  Object.keys(v).every((k) => allowed.includes(k));

/** What may stand in for an assistant turn's content (OpenAI: content is then optional). */
function assistantCarriesSomething(message: Record<string, unknown>): boolean {
  return (
    (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) ||
    message.function_call !== undefined ||
    typeof message.refusal === 'string' ||
    message.audio !== undefined
  );
}

/** Parts each role may send, as OpenAI defines them: images only from the user. */
const PART_TYPES: Record<string, readonly string[]> = {
  system: ['text'],
  developer: ['text'],
  user: ['text', 'image_url'],
  assistant: ['text'],
  tool: ['text'],
};

function partProblem(part: unknown, i: number, allowed: readonly string[]): string | null {
  if (!isPlainObject(part)) return `[${i}] must be a content part object`;
  if (!allowed.includes(part.type as string)) {
    return `[${i}].type must be ${allowed.map((t) => `"${t}"`).join(' or ')}`;
  }
  if (part.type === 'text') {
    return onlyKeys(part, ['type', 'text']) && typeof part.text === 'string'
      ? null
      : `[${i}] must be {"type":"text","text":string}`;
  }
  const image = part.image_url;
  const valid =
    onlyKeys(part, ['type', 'image_url']) &&
    isPlainObject(image) &&
    onlyKeys(image, ['url', 'detail']) &&
    typeof image.url === 'string' &&
    image.url.length > 0 &&
    (image.detail === undefined || DETAILS.has(image.detail as string));
  return valid ? null : `[${i}] must be {"type":"image_url","image_url":{"url","detail"?}}`;
}

/**
 * `content`, by role: a string or a non-empty array of parts (text for every role, images
 * only from the user); a string on a legacy `function` message; null (or absent) only on an
 * assistant turn that carries tool_calls, function_call, refusal or audio.
 */
export function contentProblem(content: unknown, message: Record<string, unknown>): string | null {
  const role = message.role as string;
  if (content === null || content === undefined) {
    if (role === 'assistant' && assistantCarriesSomething(message)) return null;
    return role === 'assistant'
      ? 'may be null only on an assistant turn that has tool_calls, function_call, refusal or audio'
      : `is required on a ${role} message (a string or content parts)`;
  }
  if (typeof content === 'string') return null;
  if (role === 'function') return 'must be a string on a function message';
  if (!Array.isArray(content) || content.length === 0) {
    return 'must be a string, a non-empty array of content parts, or null';
  }
  // An unknown role is reported on `role`; here any part type is judged as a user's.
  const allowed = PART_TYPES[role] ?? PART_TYPES.user;
  for (const [i, part] of content.entries()) {
    const problem = partProblem(part, i, allowed);
    if (problem !== null) return problem;
  }
  return null;
}

/** Before validation: `detail: null` in an image part means no detail, like any optional null. */
export function dropNullDetails(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown) => {
    if (!isPlainObject(part) || !isPlainObject(part.image_url)) return part;
    if (part.image_url.detail !== null) return part;
    const image = { ...part.image_url };
    delete image.detail;
    return { ...part, image_url: image };
  });
}

/** `stop`: a string, or an array of at most 4 strings. */
export function stopProblem(stop: unknown): string | null {
  if (typeof stop === 'string') return null;
  if (Array.isArray(stop) && stop.length <= 4 && stop.every((s) => typeof s === 'string')) {
    return null;
  }
  return 'must be a string or an array of at most 4 strings';
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `tool_choice`: "none" | "auto" | "required" | {type:"function", function:{name}}. */
export function toolChoiceProblem(choice: unknown): string | null {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return null;
  const fn = isPlainObject(choice) ? choice.function : undefined;
  const valid =
    isPlainObject(choice) &&
    onlyKeys(choice, ['type', 'function']) &&
    choice.type === 'function' &&
    isPlainObject(fn) &&
    onlyKeys(fn, ['name']) &&
    typeof fn.name === 'string' &&
    TOOL_NAME.test(fn.name);
  return valid
    ? null
    : 'must be "none", "auto", "required" or {"type":"function","function":{"name"}}';
}

/** Only on an assistant message (tool_calls, refusal, audio, function_call). */
export function assistantOnly(_: unknown, message: Record<string, unknown>): string | null {
  return message.role === 'assistant' ? null : 'is allowed only on an assistant message';
}

export { TOOL_NAME };

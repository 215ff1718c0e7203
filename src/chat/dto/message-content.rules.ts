const DETAILS = new Set(['auto', 'low', 'high']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const onlyKeys = (v: Record<string, unknown>, allowed: readonly string[]): boolean =>
  Object.keys(v).every((k) => allowed.includes(k));

/** `content`: a string, a non-empty array of text/image_url parts, or null on a tool-call turn. */
export function contentProblem(content: unknown, message: Record<string, unknown>): string | null {
  if (typeof content === 'string') return null;
  if (content === null || content === undefined) {
    const carriesToolCalls =
      message.role === 'assistant' &&
      Array.isArray(message.tool_calls) &&
      message.tool_calls.length > 0;
    return carriesToolCalls ? null : 'may be null only on an assistant turn that has tool_calls';
  }
  if (!Array.isArray(content) || content.length === 0) {
    return 'must be a string, a non-empty array of content parts, or null';
  }
  for (const [i, part] of content.entries()) {
    if (!isPlainObject(part)) return `[${i}] must be a content part object`;
    if (part.type === 'text') {
      if (!onlyKeys(part, ['type', 'text']) || typeof part.text !== 'string') {
        return `[${i}] must be {"type":"text","text":string}`;
      }
    } else if (part.type === 'image_url') {
      const image = part.image_url;
      const valid =
        onlyKeys(part, ['type', 'image_url']) &&
        isPlainObject(image) &&
        onlyKeys(image, ['url', 'detail']) &&
        typeof image.url === 'string' &&
        image.url.length > 0 &&
        (image.detail === undefined || DETAILS.has(image.detail as string));
      if (!valid) return `[${i}] must be {"type":"image_url","image_url":{"url","detail"?}}`;
    } else {
      return `[${i}].type must be "text" or "image_url"`;
    }
  }
  return null;
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

/** `conversation_id`: 1..256 printable ASCII characters, no whitespace. */
export const CONVERSATION_ID = /^[\x21-\x7e]{1,256}$/;

export { TOOL_NAME };

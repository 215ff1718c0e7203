/**
 * What the real Messages API refuses, as a strict test upstream checks it: returns the
 * `invalid_request_error` message Anthropic would send (paths like `messages.1.content.0`),
 * or null for a body it would accept. Modelled on the API's documented rules and the error
 * texts peers' users reported; stricter than the API where compatible APIs (Bedrock, Vertex)
 * are (strict alternation, first message from the user, never both temperature and top_p).
 */
type Json = Record<string, unknown>;

const TOP_LEVEL = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
  'service_tier',
]);
const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const TOOL_ID = /^[a-zA-Z0-9_-]+$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

export function checkAnthropicRequest(body: unknown): string | null {
  if (!isObject(body)) return 'body: Input should be an object';
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) return `${key}: Extra inputs are not permitted`;
  }
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    return 'max_tokens: Input should be greater than or equal to 1';
  }
  return (
    checkSampling(body) ??
    checkSystem(body.system) ??
    checkMetadata(body.metadata) ??
    checkStop(body.stop_sequences) ??
    checkTools(body) ??
    checkMessages(body.messages, Array.isArray(body.tools) && body.tools.length > 0)
  );
}

function checkSampling(body: Json): string | null {
  for (const key of ['temperature', 'top_p'] as const) {
    const value = body[key];
    if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) {
      return `${key}: Input should be less than or equal to 1`;
    }
  }
  if (body.temperature !== undefined && body.top_p !== undefined) {
    return '`temperature` and `top_p` cannot both be specified for this model. Please use only one.';
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean')
    return 'stream: Input should be a valid boolean';
  return null;
}

function checkSystem(system: unknown): string | null {
  if (system === undefined || typeof system === 'string') return null;
  if (!Array.isArray(system)) return 'system: Input should be a valid list';
  for (const [i, block] of system.entries()) {
    if (!isObject(block) || block.type !== 'text')
      return `system.${i}.type: Input should be 'text'`;
    if (blank(block.text))
      return `system.${i}: text content blocks must contain non-whitespace text`;
  }
  return null;
}

function checkMetadata(metadata: unknown): string | null {
  if (metadata === undefined) return null;
  if (!isObject(metadata)) return 'metadata: Input should be a valid dictionary';
  for (const key of Object.keys(metadata)) {
    if (key !== 'user_id') return `metadata.${key}: Extra inputs are not permitted`;
  }
  const id = metadata.user_id;
  if (typeof id !== 'string' || id.length > 256)
    return 'metadata.user_id: String should have at most 256 characters';
  if (/\S+@\S+\.\S+/.test(id))
    return 'metadata.user_id: user_id appears to contain an email address';
  return null;
}

function checkStop(stop: unknown): string | null {
  if (stop === undefined) return null;
  if (!Array.isArray(stop)) return 'stop_sequences: Input should be a valid list';
  for (const sequence of stop) {
    if (typeof sequence !== 'string' || sequence === '')
      return 'stop_sequences: each stop sequence must be non-empty';
    if (sequence.trim() === '')
      return 'stop_sequences: each stop sequence must contain non-whitespace';
  }
  return null;
}

function checkTools(body: Json): string | null {
  const { tools, tool_choice: choice } = body;
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    for (const [i, tool] of tools.entries()) {
      if (!isObject(tool)) return `tools.${i}: Input should be an object`;
      for (const key of Object.keys(tool)) {
        if (!['name', 'description', 'input_schema', 'cache_control'].includes(key)) {
          return `tools.${i}.${key}: Extra inputs are not permitted`;
        }
      }
      if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name))
        return `tools.${i}.name: String should match pattern`;
      if (!isObject(tool.input_schema) || tool.input_schema.type !== 'object') {
        return `tools.${i}.input_schema.type: Input should be 'object'`;
      }
    }
  }
  if (choice === undefined) return null;
  if (!isObject(choice)) return 'tool_choice: Input should be an object';
  if (!['auto', 'any', 'tool', 'none'].includes(String(choice.type)))
    return 'tool_choice.type: Input tag does not match';
  if (choice.type === 'tool' && typeof choice.name !== 'string')
    return 'tool_choice.tool.name: Field required';
  if (choice.type === 'none' && choice.disable_parallel_tool_use !== undefined) {
    return 'tool_choice.none.disable_parallel_tool_use: Extra inputs are not permitted';
  }
  return null;
}

function checkMessages(messages: unknown, hasTools: boolean): string | null {
  if (!Array.isArray(messages) || messages.length === 0)
    return 'messages: at least one message is required';
  let previousToolUses: string[] = [];
  for (const [i, message] of messages.entries()) {
    if (!isObject(message)) return `messages.${i}: Input should be an object`;
    const { role, content } = message;
    if (role !== 'user' && role !== 'assistant')
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (i === 0 && role !== 'user') return 'messages: first message must use the "user" role';
    if (i > 0 && (messages[i - 1] as Json).role === role) {
      return 'messages: roles must alternate between "user" and "assistant"';
    }
    const last = i === messages.length - 1;
    const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
    if (!Array.isArray(blocks) || (blocks.length === 0 && !(last && role === 'assistant'))) {
      return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    }
    const problem = checkBlocks(blocks as unknown[], i, role, hasTools, previousToolUses);
    if (problem !== null) return problem;
    if (last && role === 'assistant') {
      const final = blocks.at(-1) as Json | undefined;
      if (final?.type === 'text' && /\s$/.test(String(final.text))) {
        return 'messages: final assistant content cannot end with trailing whitespace';
      }
    }
    previousToolUses =
      role === 'assistant'
        ? (blocks as Json[]).filter((b) => b.type === 'tool_use').map((b) => String(b.id))
        : [];
  }
  return null;
}

function checkBlocks(
  blocks: unknown[],
  i: number,
  role: string,
  hasTools: boolean,
  answering: string[],
): string | null {
  const allowed =
    role === 'user'
      ? ['text', 'image', 'tool_result', 'document']
      : ['text', 'tool_use', 'thinking'];
  const results: string[] = [];
  let resultsOpen = true;
  for (const [j, block] of blocks.entries()) {
    const path = `messages.${i}.content.${j}`;
    if (!isObject(block) || !allowed.includes(String(block.type)))
      return `${path}.type: Input tag does not match`;
    if ((block.type === 'tool_use' || block.type === 'tool_result') && !hasTools) {
      return 'Requests which include `tool_use` or `tool_result` blocks must define tools.';
    }
    if (block.type === 'text' && blank(block.text))
      return `${path}: text content blocks must contain non-whitespace text`;
    if (block.type === 'image') {
      const problem = checkImage(block.source, path);
      if (problem !== null) return problem;
    }
    if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || !TOOL_ID.test(block.id))
        return `${path}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
      if (!isObject(block.input))
        return `${path}.tool_use.input: Input should be a valid dictionary`;
    }
    if (block.type === 'tool_result') {
      if (!resultsOpen)
        return `messages.${i}: tool_result blocks must come before any other content`;
      const id = block.tool_use_id;
      if (typeof id !== 'string' || !answering.includes(id)) {
        return `${path}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
      if (block.content === '' || (Array.isArray(block.content) && block.content.length === 0)) {
        return `${path}.content: content cannot be empty`;
      }
      if (
        Array.isArray(block.content) &&
        block.content.some((c) => isObject(c) && c.type === 'text' && blank(c.text))
      ) {
        return `${path}.content: text content blocks must contain non-whitespace text`;
      }
      results.push(id);
    } else resultsOpen = false;
  }
  const unanswered = role === 'user' ? answering.filter((id) => !results.includes(id)) : [];
  if (unanswered.length > 0) {
    return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
  }
  return null;
}

function checkImage(source: unknown, path: string): string | null {
  if (!isObject(source)) return `${path}.image.source: Field required`;
  if (source.type === 'url')
    return typeof source.url === 'string' && /^https?:\/\//.test(source.url)
      ? null
      : `${path}.image.source.url: invalid URL`;
  if (source.type !== 'base64') return `${path}.image.source.type: Input tag does not match`;
  if (!MEDIA_TYPES.has(String(source.media_type))) {
    return `${path}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
  }
  return typeof source.data === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(source.data)
    ? null
    : `${path}.image.source.base64.data: invalid base64 data`;
}

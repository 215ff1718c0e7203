import { GatewayError } from '../../common/errors/gateway-error';
import type { ChatMessage, ContentPart } from '../llm-types';
import type {
  AnthropicAssistantBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicUserBlock,
  WireObject,
} from './anthropic-wire';
import { convertImage } from './convert-anthropic-image';

export interface ConvertedMessages {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** One Anthropic turn being built, with the index of the OpenAI message that opened it. */
interface Turn {
  message: AnthropicMessage;
  source: number;
}

/**
 * OpenAI chat messages as Anthropic's `system` plus strictly alternating `messages`:
 * - every `system`/`developer` message is hoisted into `system`, in order (Anthropic has no
 *   system turn); empty ones are skipped;
 * - `tool` (and legacy `function`) messages become `tool_result` blocks of a user turn, placed
 *   before anything else in that turn, each answering a tool call of the assistant turn before;
 * - consecutive turns of one role are merged (Anthropic-compatible APIs refuse them);
 * - empty and whitespace-only text is left out (Anthropic refuses empty text blocks), and
 *   turns left with nothing are dropped; a final assistant turn (a prefill) loses its
 *   trailing whitespace, which Anthropic refuses;
 * - `name` is dropped (Anthropic has no per-message name).
 * What cannot be expressed throws a GatewayError `invalid_value` naming the field.
 */
export function convertMessages(messages: ChatMessage[]): ConvertedMessages {
  const system: AnthropicTextBlock[] = [];
  const turns: Turn[] = [];
  /** Legacy `function_call`s not answered yet, by function name: their synthetic ids. */
  const legacyCalls = new Map<string, string[]>();

  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textOnly(message, i));
        return;
      case 'user':
        return push(turns, { role: 'user', content: userBlocks(message, i) }, i);
      case 'assistant':
        return push(
          turns,
          { role: 'assistant', content: assistantBlocks(message, i, legacyCalls) },
          i,
        );
      case 'tool':
        return push(turns, { role: 'user', content: [toolResult(message, i, turns)] }, i);
      case 'function':
        return push(
          turns,
          { role: 'user', content: [functionResult(message, i, legacyCalls, turns)] },
          i,
        );
      default:
        throw invalid(`messages[${i}].role`, 'This message role is not supported.');
    }
  });

  trimPrefill(turns);
  if (turns.length === 0) {
    throw invalid('messages', 'At least one user message with content is required.');
  }
  if (turns[0].message.role !== 'user') {
    throw invalid(
      `messages[${turns[0].source}].role`,
      'The first message after the system messages must be a user message for this provider.',
    );
  }
  const converted: ConvertedMessages = { messages: turns.map((turn) => turn.message) };
  if (system.length === 1) converted.system = system[0].text;
  else if (system.length > 1) converted.system = system;
  return converted;
}

/** Appends a turn, merging it into the previous one of the same role; empty turns vanish. */
function push(turns: Turn[], message: AnthropicMessage, source: number): void {
  if (message.content.length === 0) return;
  const last = turns.at(-1);
  if (last === undefined || last.message.role !== message.role) {
    turns.push({ message, source });
    return;
  }
  if (last.message.role === 'assistant') {
    last.message.content.push(...(message.content as AnthropicAssistantBlock[]));
    return;
  }
  // Tool results must open the user turn: "Did not find N tool_result block(s) at the beginning".
  const merged = [...last.message.content, ...(message.content as AnthropicUserBlock[])];
  last.message.content = [
    ...merged.filter((block) => block.type === 'tool_result'),
    ...merged.filter((block) => block.type !== 'tool_result'),
  ];
}

function userBlocks(message: ChatMessage, i: number): AnthropicUserBlock[] {
  return parts(message).flatMap((part, j): AnthropicUserBlock[] =>
    part.type === 'text'
      ? text(part.text)
      : [convertImage(part.image_url.url, contentParam(message, i, j, '.image_url.url'))],
  );
}

function assistantBlocks(
  message: ChatMessage,
  i: number,
  legacyCalls: Map<string, string[]>,
): AnthropicAssistantBlock[] {
  const blocks: AnthropicAssistantBlock[] = parts(message).flatMap((part, j) => {
    if (part.type === 'text') return text(part.text);
    throw invalid(contentParam(message, i, j, ''), 'Assistant messages cannot hold images.');
  });
  // A refusal OpenAI returned instead of content is what the assistant said.
  if (blocks.length === 0 && message.refusal !== undefined) blocks.push(...text(message.refusal));
  message.tool_calls?.forEach((call, k) => {
    blocks.push({
      type: 'tool_use',
      id: toolId(call.id, `messages[${i}].tool_calls[${k}].id`),
      name: call.function.name,
      input: parseInput(
        call.function.arguments,
        `messages[${i}].tool_calls[${k}].function.arguments`,
      ),
    });
  });
  if (message.function_call !== undefined) {
    // The legacy API has no call ids: the answering `function` message is matched by name.
    const id = `call_function_${i}`;
    const { name, arguments: args } = message.function_call;
    legacyCalls.set(name, [...(legacyCalls.get(name) ?? []), id]);
    blocks.push({
      type: 'tool_use',
      id,
      name,
      input: parseInput(args, `messages[${i}].function_call.arguments`),
    });
  }
  return blocks;
}

function toolResult(message: ChatMessage, i: number, turns: Turn[]): AnthropicToolResultBlock {
  if (message.tool_call_id === undefined || message.tool_call_id === '') {
    throw invalid(
      `messages[${i}].tool_call_id`,
      'A tool message needs the tool_call_id it answers.',
    );
  }
  const id = toolId(message.tool_call_id, `messages[${i}].tool_call_id`);
  if (!previousToolUseIds(turns).has(id)) {
    throw invalid(
      `messages[${i}].tool_call_id`,
      'A tool message must answer a tool call of the assistant message before it.',
    );
  }
  return withContent({ type: 'tool_result', tool_use_id: id }, message, i);
}

function functionResult(
  message: ChatMessage,
  i: number,
  legacyCalls: Map<string, string[]>,
  turns: Turn[],
): AnthropicToolResultBlock {
  const id = message.name === undefined ? undefined : legacyCalls.get(message.name)?.shift();
  if (id === undefined || !previousToolUseIds(turns).has(id)) {
    throw invalid(
      `messages[${i}].name`,
      'A function message must answer a function_call of the assistant message before it.',
    );
  }
  return withContent({ type: 'tool_result', tool_use_id: id }, message, i);
}

/** A tool's output; empty output leaves `content` out (an empty text block is refused). */
function withContent(
  block: AnthropicToolResultBlock,
  message: ChatMessage,
  i: number,
): AnthropicToolResultBlock {
  if (typeof message.content === 'string') {
    if (message.content.trim() !== '') block.content = message.content;
    return block;
  }
  const content = parts(message).flatMap((part, j): (AnthropicTextBlock | AnthropicImageBlock)[] =>
    part.type === 'text'
      ? text(part.text)
      : [convertImage(part.image_url.url, contentParam(message, i, j, '.image_url.url'))],
  );
  if (content.length > 0) block.content = content;
  return block;
}

/** The tool_use ids of the assistant turn a tool result being added now would answer. */
function previousToolUseIds(turns: Turn[]): Set<string> {
  const last = turns.at(-1);
  const assistant = last?.message.role === 'user' ? turns.at(-2) : last;
  const ids = new Set<string>();
  if (assistant?.message.role !== 'assistant') return ids;
  for (const block of assistant.message.content) if (block.type === 'tool_use') ids.add(block.id);
  return ids;
}

function textOnly(message: ChatMessage, i: number): AnthropicTextBlock[] {
  return parts(message).flatMap((part, j) => {
    if (part.type === 'text') return text(part.text);
    throw invalid(contentParam(message, i, j, ''), 'System messages can hold only text.');
  });
}

function trimPrefill(turns: Turn[]): void {
  const last = turns.at(-1);
  if (last?.message.role !== 'assistant') return;
  const blocks = last.message.content;
  const final = blocks.at(-1);
  if (final?.type !== 'text') return;
  final.text = final.text.trimEnd();
  if (final.text === '') blocks.pop();
  if (blocks.length === 0) turns.pop();
}

function parts(message: ChatMessage): ContentPart[] {
  if (message.content === null) return [];
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return message.content;
}

const text = (value: string): AnthropicTextBlock[] =>
  value.trim() === '' ? [] : [{ type: 'text', text: value }];

function contentParam(message: ChatMessage, i: number, j: number, suffix: string): string {
  return Array.isArray(message.content)
    ? `messages[${i}].content[${j}]${suffix}`
    : `messages[${i}].content`;
}

/**
 * Anthropic ids must match `^[a-zA-Z0-9_-]+$`; other OpenAI-compatible servers write ids with
 * dots or colons. The same replacement is applied to `tool_calls[].id` and `tool_call_id`, so
 * a call and its result still match.
 */
function toolId(id: string, param: string): string {
  if (id === '') throw invalid(param, 'A tool call id must not be empty.');
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** Tool arguments as an object: `""` means none; anything but a JSON object is refused. */
function parseInput(args: string | null | undefined, param: string): WireObject {
  if (args === undefined || args === null || args.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(args);
  } catch {
    throw invalid(param, 'Tool call arguments must be a JSON object.');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid(param, 'Tool call arguments must be a JSON object.');
  }
  return input as WireObject;
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_value', message, { param });
}

import { malformedResponse } from '../http/classify-upstream';
import type { ChatResult, ToolCall } from '../llm-types';
import { isWireObject, WireObject } from './anthropic-wire';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';
import { readAnthropicUsage, toUsage } from './map-anthropic-usage';

/**
 * A Messages API answer as a ChatResult: every text block joined (not only the first), each
 * tool_use block as a tool call with its input re-serialised, thinking and server-tool blocks
 * dropped (the contract has no place for them), usage with the cache counted in the prompt.
 */
export function mapAnthropicResponse(data: unknown, nowMs: number = Date.now()): ChatResult {
  if (!isWireObject(data)) throw malformedResponse('the answer is not an object');
  const { id, model, content } = data;
  if (typeof id !== 'string') throw malformedResponse('id is not a string');
  if (typeof model !== 'string') throw malformedResponse('model is not a string');
  if (!Array.isArray(content) || !content.every(isWireObject)) {
    throw malformedResponse('content is not an array of blocks');
  }
  const text = content
    .filter((block) => block.type === 'text')
    .map((block) => {
      if (typeof block.text !== 'string') throw malformedResponse('a text block has no text');
      return block.text;
    })
    .join('');
  const toolCalls = content.filter((block) => block.type === 'tool_use').map(toToolCall);
  const message: ChatResult['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id,
    created: Math.floor(nowMs / 1000),
    model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: mapAnthropicStopReason(data.stop_reason, toolCalls.length > 0),
      },
    ],
    usage: toUsage(readAnthropicUsage(data.usage)),
  };
}

function toToolCall(block: WireObject): ToolCall {
  const { id, name, input } = block;
  if (typeof id !== 'string' || typeof name !== 'string') {
    throw malformedResponse('a tool_use block has no id or name');
  }
  return {
    id,
    type: 'function',
    function: { name, arguments: input === undefined ? '{}' : JSON.stringify(input) },
  };
}

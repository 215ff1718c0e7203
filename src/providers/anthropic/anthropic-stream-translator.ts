import { malformedResponse } from '../http/classify-upstream';
import type { ChatChunk, ChunkChoice } from '../llm-types';
import { ProviderError } from '../provider-error';
import { isWireObject, WireObject } from './anthropic-wire';
import { mapAnthropicStreamError } from './map-anthropic-error';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';
import {
  AnthropicTokenCounts,
  NO_TOKENS,
  toUsage,
  updateAnthropicUsage,
} from './map-anthropic-usage';

interface ToolBlock {
  /** The OpenAI tool-call index: a counter over tool_use blocks, not the block index. */
  index: number;
  sawArguments: boolean;
}

type Delta = ChunkChoice['delta'];

/**
 * Turns the decoded events of one Messages API stream into ChatChunks, one event at a time
 * (nothing is held back). It emits a role chunk at `message_start`, text deltas, tool calls
 * (id and name first, then the `partial_json` fragments untouched, `"{}"` for a tool that
 * got no arguments), the finish chunk at `message_delta`, and a usage-only chunk
 * (`choices: []`) at `message_stop`. `ping`, thinking and unknown events are ignored; an
 * `error` event throws its ProviderError.
 */
export class AnthropicStreamTranslator {
  private envelope?: { id: string; created: number; model: string };
  private usage: AnthropicTokenCounts = NO_TOKENS;
  private readonly tools = new Map<number, ToolBlock>();
  private nextToolIndex = 0;
  private finished = false;
  private stopped = false;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** True once `message_stop` arrived: the answer is complete. */
  get complete(): boolean {
    return this.stopped;
  }

  /** The chunks for one event's decoded `data`. */
  push(event: unknown): ChatChunk[] {
    if (!isWireObject(event)) throw malformedResponse('a stream event is not an object');
    if (this.stopped) return [];
    switch (event.type) {
      case 'message_start':
        return this.start(event.message);
      case 'content_block_start':
        return this.blockStart(event.index, event.content_block);
      case 'content_block_delta':
        return this.blockDelta(event.index, event.delta);
      case 'content_block_stop':
        return this.blockStop(event.index);
      case 'message_delta':
        return this.messageDelta(event);
      case 'message_stop':
        return this.stop();
      case 'error':
        throw mapAnthropicStreamError(event.error);
      default:
        return []; // ping, and event types newer than this adapter
    }
  }

  /** Called when the body ended: without `message_stop` the answer is truncated. */
  end(): void {
    if (!this.stopped) {
      throw new ProviderError('server', 'The Anthropic stream ended before message_stop.');
    }
  }

  private start(message: unknown): ChatChunk[] {
    // A repeated message_start (seen in the wild) must not repeat the role or recount usage.
    if (this.envelope !== undefined) return [];
    if (!isWireObject(message)) throw malformedResponse('message_start without a message');
    const { id, model } = message;
    if (typeof id !== 'string' || typeof model !== 'string') {
      throw malformedResponse('message_start without an id or model');
    }
    this.envelope = { id, model, created: Math.floor(this.nowMs() / 1000) };
    this.usage = updateAnthropicUsage(NO_TOKENS, message.usage);
    const chunks = [this.chunk({ role: 'assistant', content: '' })];
    // Content already in message_start is complete blocks, indexed by position.
    if (Array.isArray(message.content)) {
      message.content.forEach((block, index) => {
        chunks.push(...this.blockStart(index, block), ...this.blockStop(index));
      });
    }
    return chunks;
  }

  private blockStart(index: unknown, block: unknown): ChatChunk[] {
    if (typeof index !== 'number' || !isWireObject(block)) {
      throw malformedResponse('content_block_start without an index or block');
    }
    if (block.type === 'text') {
      return typeof block.text === 'string' && block.text !== ''
        ? [this.chunk({ content: block.text })]
        : [];
    }
    if (block.type !== 'tool_use') return []; // thinking, server tools...
    return this.toolStart(index, block);
  }

  private toolStart(index: number, block: WireObject): ChatChunk[] {
    const { id, name, input } = block;
    if (typeof id !== 'string' || typeof name !== 'string') {
      throw malformedResponse('a tool_use block without an id or name');
    }
    const tool: ToolBlock = { index: this.nextToolIndex++, sawArguments: false };
    this.tools.set(index, tool);
    const chunks = [
      this.toolChunk(tool, { id, type: 'function', function: { name, arguments: '' } }),
    ];
    // Usually `{}` with the arguments streamed after; a prepopulated input is sent whole.
    if (isWireObject(input) && Object.keys(input).length > 0) {
      tool.sawArguments = true;
      chunks.push(this.toolChunk(tool, { function: { arguments: JSON.stringify(input) } }));
    }
    return chunks;
  }

  private blockDelta(index: unknown, delta: unknown): ChatChunk[] {
    if (!isWireObject(delta)) throw malformedResponse('content_block_delta without a delta');
    if (delta.type === 'text_delta') {
      if (typeof delta.text !== 'string') throw malformedResponse('text_delta without text');
      return delta.text === '' ? [] : [this.chunk({ content: delta.text })];
    }
    if (delta.type !== 'input_json_delta') return []; // thinking, signature, citations...
    const tool = typeof index === 'number' ? this.tools.get(index) : undefined;
    if (tool === undefined) throw malformedResponse('input_json_delta for no tool_use block');
    const fragment = delta.partial_json;
    if (typeof fragment !== 'string') throw malformedResponse('input_json_delta without JSON');
    // The empty first fragment is skipped: strict clients fail on a redeclared argument.
    if (fragment === '') return [];
    tool.sawArguments = true;
    return [this.toolChunk(tool, { function: { arguments: fragment } })];
  }

  private blockStop(index: unknown): ChatChunk[] {
    const tool = typeof index === 'number' ? this.tools.get(index) : undefined;
    if (tool === undefined || tool.sawArguments) return [];
    tool.sawArguments = true;
    // Only `partial_json: ""` arrived: the tool takes no arguments, which is `{}`, not `""`.
    return [this.toolChunk(tool, { function: { arguments: '{}' } })];
  }

  private messageDelta(event: WireObject): ChatChunk[] {
    this.requireEnvelope();
    this.usage = updateAnthropicUsage(this.usage, event.usage);
    if (this.finished || !isWireObject(event.delta)) return [];
    return [this.finish(event.delta.stop_reason)];
  }

  private stop(): ChatChunk[] {
    const chunks = this.finished ? [] : [this.finish(null)];
    this.stopped = true;
    return [...chunks, { ...this.requireEnvelope(), choices: [], usage: toUsage(this.usage) }];
  }

  private finish(stopReason: unknown): ChatChunk {
    this.finished = true;
    const finishReason = mapAnthropicStopReason(stopReason, this.nextToolIndex > 0);
    return {
      ...this.requireEnvelope(),
      choices: [{ index: 0, delta: {}, finish_reason: finishReason }],
    };
  }

  private toolChunk(
    tool: ToolBlock,
    call: Omit<NonNullable<Delta['tool_calls']>[number], 'index'>,
  ): ChatChunk {
    return this.chunk({ tool_calls: [{ index: tool.index, ...call }] });
  }

  private chunk(delta: Delta): ChatChunk {
    return { ...this.requireEnvelope(), choices: [{ index: 0, delta, finish_reason: null }] };
  }

  private requireEnvelope(): { id: string; created: number; model: string } {
    if (this.envelope === undefined) throw malformedResponse('content before message_start');
    return this.envelope;
  }
}

import { randomBytes } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import type { LlmCallContext, LlmModel } from '../llm-adapter.interface';
import type { ChatChunk, ChatRequest, ChatResult } from '../llm-types';
import { echoAnswer, echoUsage, splitWords } from './echo-answer';

/**
 * A local model that answers with the last user message, for trying the gateway with no
 * upstream (`ECHO_PROVIDER=true`, then `model: "echo/anything"`). Streams one chunk per word.
 */
export class EchoModel implements LlmModel {
  constructor(readonly deploymentId: string) {}

  close(): Promise<void> {
    return Promise.resolve();
  }

  complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult> {
    if (context.signal.aborted) return Promise.reject(context.signal.reason as Error);
    const answer = echoAnswer(request.messages);
    return Promise.resolve({
      id: newId(),
      created: nowSeconds(),
      model: request.model,
      choices: [
        { index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' },
      ],
      usage: echoUsage(request.messages, answer),
    });
  }

  stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>> {
    if (context.signal.aborted) return Promise.reject(context.signal.reason as Error);
    return Promise.resolve(this.chunks(request, context.signal));
  }

  private async *chunks(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const answer = echoAnswer(request.messages);
    const base = { id: newId(), created: nowSeconds(), model: request.model };
    const chunk = (delta: ChatChunk['choices'][number]['delta']): ChatChunk => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: null }],
    });
    signal.throwIfAborted();
    yield chunk({ role: 'assistant', content: '' });
    for (const word of splitWords(answer)) {
      // One event-loop turn (no timer): lets a client disconnect land between chunks.
      await turn();
      signal.throwIfAborted();
      yield chunk({ content: word });
    }
    signal.throwIfAborted();
    yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
    // As OpenAI with include_usage: a last chunk with no choices (dropped when not asked for).
    yield { ...base, choices: [], usage: echoUsage(request.messages, answer) };
  }
}

const newId = (): string => `chatcmpl-echo-${randomBytes(12).toString('hex')}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

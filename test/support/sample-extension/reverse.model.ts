import { setImmediate as turn } from 'node:timers/promises';
import type { Pool } from 'undici';
import { bufferedRequest } from '../../../src/providers/http/buffered-request';
import {
  classifyStatus,
  classifyTransportError,
} from '../../../src/providers/http/classify-upstream';
import { createPool, endpoint } from '../../../src/providers/http/create-pool';
import type { DeploymentSpec } from '../../../src/providers/deployment-spec';
import type { LlmCallContext, LlmModel } from '../../../src/providers/llm-adapter.interface';
import type { ChatChunk, ChatRequest, ChatResult } from '../../../src/providers/llm-types';
import { fromReverseResponse, toReverseRequest } from './reverse-wire';

/**
 * One deployment of the `reverse` service over its own keep-alive pool (createPool: no
 * redirects, no retries). Every failure is a ProviderError (classifyStatus for a non-2xx answer,
 * classifyTransportError for the socket, malformedResponse for an unreadable body), or the
 * signal's reason once it aborted. The service cannot stream: `stream` waits for the whole
 * answer (so a failure is still the attempt's) and yields it as chunks.
 */
export class ReverseModel implements LlmModel {
  readonly deploymentId: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headers: Record<string, string>;

  constructor(spec: DeploymentSpec, baseUrl: string) {
    this.deploymentId = spec.id;
    const { origin, path } = endpoint(baseUrl, '/reverse');
    this.path = path;
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (spec.apiKey !== undefined) this.headers.authorization = `Bearer ${spec.apiKey}`;
    this.pool = createPool(origin, spec);
  }

  async complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult> {
    const response = await bufferedRequest(
      this.pool,
      {
        method: 'POST',
        path: this.path,
        headers: this.headers,
        body: JSON.stringify(toReverseRequest(request)),
      },
      context.signal,
    ).catch((error: unknown) => {
      throw classifyTransportError(error, context.signal);
    });
    // A non-2xx body is never read: it may quote the prompt or the vendor's internals.
    if (response.body === null) throw classifyStatus(response.statusCode, response.headers);
    const created = Math.floor(Date.now() / 1000);
    return fromReverseResponse(response.body.toString('utf8'), request.model, created);
  }

  async stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>> {
    const result = await this.complete(request, context);
    return chunksOf(result, context.signal);
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}

/** A whole answer as a stream: role, content, finish, then a usage-only chunk. */
async function* chunksOf(result: ChatResult, signal: AbortSignal): AsyncGenerator<ChatChunk> {
  const base = { id: result.id, created: result.created, model: result.model };
  const content = result.choices[0]?.message.content ?? '';
  const deltas: ChatChunk['choices'][number][] = [
    { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
    { index: 0, delta: { content }, finish_reason: null },
    { index: 0, delta: {}, finish_reason: 'stop' },
  ];
  for (const choice of deltas) {
    await turn(); // a chunk per turn of the event loop, so a client's departure is seen between them
    signal.throwIfAborted();
    yield { ...base, choices: [choice] };
  }
  yield { ...base, choices: [], usage: result.usage };
}

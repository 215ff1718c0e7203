import { Logger } from '@nestjs/common';
import type { Dispatcher, Pool } from 'undici';
import { bufferedRequest } from '../http/buffered-request';
import { classifyStatus, classifyTransportError } from '../http/classify-upstream';
import { createPool, endpoint } from '../http/create-pool';
import type { DeploymentSpec } from '../deployment-spec';
import type { LlmCallContext, LlmModel } from '../llm-adapter.interface';
import type { ChatChunk, ChatRequest, ChatResult } from '../llm-types';
import { ProviderError } from '../provider-error';
import { classifyErrorObject } from './classify-openai-error';
import { convertToOpenAiRequest } from './convert-to-openai-request';
import { mapOpenAiResponse } from './map-openai-response';
import { isWireObject, parseWireJson } from './openai-wire';
import { readOpenAiStream } from './read-openai-stream';
import { discardBody } from '../http/release-stream-body';

/** Enough of a 400 body to read its error `type`/`code`; the rest is never read. */
const ERROR_BODY_BYTES = 16 * 1024;
const keepBadRequestBody = (status: number): number => (status === 400 ? ERROR_BODY_BYTES : 0);

/**
 * One deployment of an OpenAI-compatible `/chat/completions` upstream (OpenAI, Groq, vLLM,
 * Ollama...), over its own keep-alive undici Pool. Only the deployment's key is sent upstream,
 * redirects are never followed, nothing is retried here, and the call's AbortSignal cancels
 * the upstream request at any stage.
 */
export class OpenAiModel implements LlmModel {
  readonly deploymentId: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly jsonHeaders: Record<string, string>;
  private readonly streamHeaders: Record<string, string>;
  private readonly logger = new Logger('OpenAiModel');

  constructor(spec: DeploymentSpec, baseUrl: string) {
    this.deploymentId = spec.id;
    const { origin, path } = endpoint(baseUrl, '/chat/completions');
    this.path = path;
    // Built once: only the Accept header differs between the two kinds of call.
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'sentinel',
    };
    if (spec.apiKey !== undefined) headers.authorization = `Bearer ${spec.apiKey}`;
    this.jsonHeaders = { ...headers, accept: 'application/json' };
    this.streamHeaders = { ...headers, accept: 'text/event-stream' };
    this.pool = createPool(origin, spec);
  }

  async complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult> {
    const response = await bufferedRequest(
      this.pool,
      this.requestOptions(request, false),
      context.signal,
      keepBadRequestBody,
    ).catch((error: unknown) => {
      throw classifyTransportError(error, context.signal);
    });
    if (response.body === null) {
      throw refine(response.statusCode, response.headers, response.errorBody);
    }
    return mapOpenAiResponse(parseWireJson(response.body.toString('utf8')));
  }

  async stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>> {
    const { signal } = context;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({ ...this.requestOptions(request, true), signal });
    } catch (error) {
      throw classifyTransportError(error, signal);
    }
    const { body, statusCode, headers } = response;
    if (statusCode < 200 || statusCode >= 300) {
      const snippet = statusCode === 400 ? await readSnippet(body) : undefined;
      if (snippet === undefined) body.dump().catch(() => undefined);
      throw refine(statusCode, headers, snippet);
    }
    // undici destroys the body on abort too; doing it here as well keeps that guarantee ours.
    const onAbort = (): void => discardBody(body);
    signal.addEventListener('abort', onAbort, { once: true });
    body.once('close', () => signal.removeEventListener('abort', onAbort));
    return readOpenAiStream(body, signal);
  }

  async close(): Promise<void> {
    // The gateway drains its streams before shutdown hooks run; whatever is left is orphaned
    // and must not hold the process open.
    await this.pool.destroy().catch((error: unknown) => {
      this.logger.debug(`closing the pool of ${this.deploymentId}: ${String(error)}`);
    });
  }

  private requestOptions(
    request: ChatRequest,
    stream: boolean,
  ): Dispatcher.DispatchOptions & { method: 'POST' } {
    return {
      method: 'POST',
      path: this.path,
      headers: stream ? this.streamHeaders : this.jsonHeaders,
      body: JSON.stringify(convertToOpenAiRequest(request, { stream })),
    };
  }
}

/** A 400 whose body says the context is too long is `context_window`; any other by status. */
function refine(
  status: number,
  headers: Dispatcher.ResponseData['headers'],
  errorBody: Buffer | undefined,
): ProviderError {
  const failure = classifyStatus(status, headers);
  if (status !== 400 || errorBody === undefined || errorBody.length === 0) return failure;
  let parsed: unknown;
  try {
    parsed = JSON.parse(errorBody.toString('utf8'));
  } catch {
    return failure;
  }
  if (!isWireObject(parsed) || !isWireObject(parsed.error)) return failure;
  const refined = classifyErrorObject(parsed.error, 'a rejected request');
  return refined.cls === 'context_window'
    ? new ProviderError('context_window', refined.message, { status })
    : failure;
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      if ((size += chunk.length) >= ERROR_BODY_BYTES) break;
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}

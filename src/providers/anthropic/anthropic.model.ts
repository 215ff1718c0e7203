import type { Readable } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import { bufferedRequest } from '../http/buffered-request';
import { classifyTransportError, malformedResponse } from '../http/classify-upstream';
import { createPool, endpoint } from '../http/create-pool';
import type { DeploymentSpec } from '../deployment-spec';
import type { LlmCallContext, LlmModel } from '../llm-adapter.interface';
import type { ChatChunk, ChatRequest, ChatResult } from '../llm-types';
import {
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_VERSION,
  DEFAULT_MAX_TOKENS,
} from './anthropic-wire';
import { convertToAnthropicRequest } from './convert-to-anthropic-request';
import {
  ERROR_BODY_LIMIT_BYTES,
  mapAnthropicError,
  readAnthropicErrorBody,
} from './map-anthropic-error';
import { mapAnthropicResponse } from './map-anthropic-response';
import { readAnthropicStream } from './read-anthropic-stream';
import { discardBody } from '../http/release-stream-body';

/** Every error body is read this far: Anthropic says in it what a 400 or 429 was about. */
const keepErrorBody = (): number => ERROR_BODY_LIMIT_BYTES;

export interface AnthropicModelOptions {
  /** `max_tokens` for requests that set none (Anthropic requires it). */
  defaultMaxTokens?: number;
}

/**
 * One Anthropic deployment: `POST <base>/v1/messages` over its own keep-alive pool, with the
 * key in `x-api-key` (never `Authorization`), the pinned `anthropic-version`, no redirects and
 * no retries. The call's AbortSignal cancels the upstream request at any stage. Error bodies
 * are read only as far as classifying them needs and never leave this class.
 */
export class AnthropicModel implements LlmModel {
  readonly deploymentId: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly jsonHeaders: Record<string, string>;
  private readonly streamHeaders: Record<string, string>;
  private readonly defaultMaxTokens: number;
  private closing?: Promise<void>;

  constructor(
    private readonly spec: DeploymentSpec,
    options: AnthropicModelOptions = {},
  ) {
    if (spec.apiKey === undefined || spec.apiKey === '') {
      throw new Error(`Deployment '${spec.id}' (anthropic) needs an API key.`);
    }
    this.deploymentId = spec.id;
    this.defaultMaxTokens = options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
    const { origin, path } = endpoint(spec.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL, '/v1/messages');
    this.path = path;
    // Built once: only the Accept header differs between the two kinds of call.
    const headers = {
      'content-type': 'application/json',
      'x-api-key': spec.apiKey,
      'anthropic-version': ANTHROPIC_VERSION,
      'user-agent': 'sentinel',
    };
    this.jsonHeaders = { ...headers, accept: 'application/json' };
    this.streamHeaders = { ...headers, accept: 'text/event-stream' };
    this.pool = createPool(origin, spec);
  }

  async complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult> {
    const options = this.requestOptions(request, false);
    const { signal } = context;
    let response;
    try {
      response = await bufferedRequest(this.pool, options, signal, keepErrorBody);
    } catch (error) {
      throw classifyTransportError(error, signal);
    }
    if (response.body === null) {
      const info = readAnthropicErrorBody(response.errorBody ?? null);
      throw mapAnthropicError(response.statusCode, response.headers, info);
    }
    let data: unknown;
    try {
      data = JSON.parse(response.body.toString('utf8'));
    } catch {
      // The parser's message may quote the body: only the fact is kept.
      throw malformedResponse('the answer is not JSON');
    }
    return mapAnthropicResponse(data);
  }

  async stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>> {
    const options = this.requestOptions(request, true);
    const { signal } = context;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({ ...options, signal });
    } catch (error) {
      throw classifyTransportError(error, signal);
    }
    const { statusCode, headers, body } = response;
    if (statusCode < 200 || statusCode >= 300) {
      const errorBody = await readBounded(body, ERROR_BODY_LIMIT_BYTES);
      signal.throwIfAborted();
      throw mapAnthropicError(statusCode, headers, readAnthropicErrorBody(errorBody));
    }
    // undici destroys the body on abort too; doing it here as well keeps that guarantee ours.
    const onAbort = (): void => discardBody(body);
    signal.addEventListener('abort', onAbort, { once: true });
    body.once('close', () => signal.removeEventListener('abort', onAbort));
    return readAnthropicStream(body, signal);
  }

  close(): Promise<void> {
    this.closing ??= this.pool.destroy().then(() => undefined);
    return this.closing;
  }

  private requestOptions(
    request: ChatRequest,
    stream: boolean,
  ): Dispatcher.DispatchOptions & { method: 'POST' } {
    // `request.model` is the routed model (the deployment's, or the one an implicit deployment
    // was asked for). Throws GatewayError invalid_value for what Anthropic cannot express,
    // before any I/O.
    const body = convertToAnthropicRequest(request, {
      stream,
      defaultMaxTokens: this.defaultMaxTokens,
    });
    return {
      method: 'POST',
      path: this.path,
      headers: stream ? this.streamHeaders : this.jsonHeaders,
      body: JSON.stringify(body),
    };
  }
}

/** The first `limit` bytes of a body; the rest is dropped with the connection. */
async function readBounded(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break; // leaving the loop destroys the body
    }
  } catch {
    // A body cut short still classifies by its status.
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

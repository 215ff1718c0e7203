import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Dispatcher, Pool } from 'undici';
import { GatewayError } from '../../common/errors/gateway-error';
import { providersConfig } from '../../config/providers.config';
import { BufferedResponse, bufferedRequest } from '../http/buffered-request';
import type { LlmCallContext, LlmProvider } from '../llm-provider.interface';
import type { ChatChunk, ChatRequest, ChatResult } from '../llm-types';
import { convertToOpenAiRequest } from './convert-to-openai-request';
import { mapOpenAiResponse } from './map-openai-response';
import { mapUpstreamError, mapUpstreamStatus } from './map-upstream-error';
import { parseWireJson } from './openai-wire';
import { discard, readOpenAiStream } from './read-openai-stream';

/** Splits a base URL such as `http://host:8000/v1/` into the pool origin and the request path. */
export function chatCompletionsEndpoint(baseUrl: string): { origin: string; path: string } {
  const url = new URL(baseUrl);
  return {
    origin: url.origin,
    path: `${url.pathname.replace(/\/+$/, '')}/chat/completions${url.search}`,
  };
}

/**
 * Any OpenAI-compatible `/chat/completions` upstream (OpenAI, Groq, vLLM, Ollama...), over one
 * keep-alive undici Pool. Only the gateway's own key is sent upstream, redirects are never
 * followed (undici's request() has no redirect support unless an interceptor adds it), and the
 * call's AbortSignal cancels the upstream request at any stage.
 */
@Injectable()
export class OpenAiProvider implements LlmProvider, OnApplicationShutdown {
  readonly name = 'openai';
  readonly enabled: boolean;
  private readonly pool: Pool | null = null;
  private readonly path: string = '';
  private readonly jsonHeaders: Record<string, string> = {};
  private readonly streamHeaders: Record<string, string> = {};
  private readonly logger = new Logger(OpenAiProvider.name);

  constructor(
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {
    this.enabled = Boolean(config.openai.apiKey);
    if (!this.enabled) return;
    const { origin, path } = chatCompletionsEndpoint(config.openai.baseUrl);
    const { connectTimeoutMs, timeoutMs, idleTimeoutMs, maxConnections } = config.upstream;
    this.path = path;
    // Built once: only the Accept header differs between the two kinds of call.
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${config.openai.apiKey}`,
      'user-agent': 'sentinel',
    };
    this.jsonHeaders = { ...headers, accept: 'application/json' };
    this.streamHeaders = { ...headers, accept: 'text/event-stream' };
    // Creating a Pool opens nothing: connections are made on first use.
    this.pool = new Pool(origin, {
      connections: maxConnections,
      connect: { timeout: connectTimeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: idleTimeoutMs,
    });
  }

  async complete(request: ChatRequest, context: LlmCallContext): Promise<ChatResult> {
    const pool = this.enabledPool();
    let response: BufferedResponse;
    try {
      response = await bufferedRequest(pool, this.requestOptions(request, false), context.signal);
    } catch (error) {
      throw this.failed(mapUpstreamError(error, context.signal), context);
    }
    if (response.body === null) {
      throw this.failed(mapUpstreamStatus(response.statusCode, response.headers), context);
    }
    try {
      return mapOpenAiResponse(parseWireJson(response.body.toString('utf8')));
    } catch (error) {
      // Logged without the parser's message, which may quote the upstream body.
      throw this.failed(error, context);
    }
  }

  async stream(request: ChatRequest, context: LlmCallContext): Promise<AsyncIterable<ChatChunk>> {
    const { body } = await this.send(request, true, context);
    const { signal } = context;
    // undici destroys the body on abort too; doing it here as well keeps that guarantee ours.
    const onAbort = (): void => discard(body);
    signal.addEventListener('abort', onAbort, { once: true });
    body.once('close', () => signal.removeEventListener('abort', onAbort));
    return readOpenAiStream(body, signal);
  }

  async onApplicationShutdown(): Promise<void> {
    // The gateway drains its streams before shutdown hooks run; whatever is left is orphaned
    // and must not hold the process open.
    await this.pool?.destroy();
  }

  private async send(
    request: ChatRequest,
    stream: boolean,
    context: LlmCallContext,
  ): Promise<Dispatcher.ResponseData> {
    const pool = this.enabledPool();
    let response: Dispatcher.ResponseData;
    try {
      response = await pool.request({
        ...this.requestOptions(request, stream),
        signal: context.signal,
      });
    } catch (error) {
      throw this.failed(mapUpstreamError(error, context.signal), context);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    // Consumed so the connection can be reused, never read: error bodies stay upstream.
    response.body.dump().catch(() => undefined);
    throw this.failed(mapUpstreamStatus(response.statusCode, response.headers), context);
  }

  private enabledPool(): Pool {
    if (this.pool === null) {
      throw new GatewayError('unknown_provider', "Provider 'openai' is not enabled.");
    }
    return this.pool;
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

  private failed(error: unknown, context: LlmCallContext): unknown {
    if (error instanceof GatewayError) {
      const code = (error.cause as { code?: unknown } | undefined)?.code;
      const detail = typeof code === 'string' ? ` (${code})` : '';
      this.logger.warn(`request ${context.requestId}: ${error.code}: ${error.message}${detail}`);
    }
    return error;
  }
}

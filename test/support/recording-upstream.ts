import { once } from 'node:events';
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request as the upstream received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body when it was a JSON object, `{}` otherwise (see rawBody). */
  body: Record<string, unknown>;
  rawBody: string;
  /** Which TCP connection carried it (1, 2... in order of connection): shows keep-alive reuse. */
  connectionId: number;
  /** Date.now() when the request line arrived. */
  receivedAt: number;
  /** Resolves when the TCP connection that carried this request closes, for any reason. */
  connectionClosed: Promise<void>;
  /** Resolves when the client went away before the response was complete. */
  clientAborted: Promise<void>;
}

/** What a scripted behaviour gets for one request. */
export interface UpstreamExchange {
  request: RecordedRequest;
  res: ServerResponse;
  /** Aborted when the response closes (client gone, finished) or the upstream shuts down. */
  signal: AbortSignal;
}

/** A scripted behaviour; see `replies` for ready-made ones. */
export type UpstreamHandler = (exchange: UpstreamExchange) => void | Promise<void>;

export interface ReplyInit {
  status?: number;
  headers?: Record<string, string>;
}

/** A stream paused after its first events until `release()`. */
export interface HeldStream {
  handler: UpstreamHandler;
  /** Resolves once the events before the pause have been written. */
  paused: Promise<void>;
  release(): void;
}

/**
 * An OpenAI-compatible upstream on 127.0.0.1 that records every request. By default
 * `POST /v1/chat/completions` answers `echo:<model>:<last user text>` with `model` set to the
 * model it received (as JSON, or as an SSE stream when `stream: true`), with vendor extras
 * (system_fingerprint, logprobs, service_tier...) so stripping is visible. Script faults with
 * `respondWith` (every request) or `nextResponse` (one-shot, in order).
 */
export class RecordingUpstream {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections closed so far, by either side (not reset by reset()). */
  closedConnections = 0;
  private handler: UpstreamHandler = answerDefault;
  private readonly oneShots: UpstreamHandler[] = [];
  private connections = 0;
  private readonly sockets = new WeakMap<Socket, { id: number; closed: Promise<void> }>();
  private readonly closing = new AbortController();

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      // Not events.once: that rejects on the 'error' (ECONNRESET) that may precede 'close'.
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      void closed.then(() => this.closedConnections++);
      this.sockets.set(socket, { id: ++this.connections, closed });
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.serve(req, res).catch(() => res.destroy());
    });
  }

  /** Base URL including `/v1`, as OPENAI_BASE_URL expects. */
  get url(): string {
    return `${this.origin}/v1`;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** TCP connections open right now. */
  get openConnections(): number {
    return this.connections - this.closedConnections;
  }

  /** The most recent request; throws when none arrived. */
  get last(): RecordedRequest {
    const request = this.requests.at(-1);
    if (request === undefined) throw new Error('The recording upstream received no request.');
    return request;
  }

  /** Answers every following request with `handler` (until reset). */
  respondWith(handler: UpstreamHandler): this {
    this.handler = handler;
    return this;
  }

  /** Answers the next requests, one each, with these handlers before falling back. */
  nextResponse(...handlers: UpstreamHandler[]): this {
    this.oneShots.push(...handlers);
    return this;
  }

  /** Resolves with the n-th request (1-based) since the last reset, once it has arrived. */
  async waitForRequest(n = 1, timeoutMs = 5_000): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < n) {
      if (Date.now() > deadline) throw new Error(`Upstream request #${n} never arrived.`);
      await sleep(5);
    }
    return this.requests[n - 1];
  }

  /** Forgets recorded requests and scripted behaviours; the default answer applies again. */
  reset(): void {
    this.requests.length = 0;
    this.oneShots.length = 0;
    this.handler = answerDefault;
  }

  /** Ends every connection (including held and hanging responses) and stops listening. */
  async close(): Promise<void> {
    this.closing.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const connection = this.sockets.get(req.socket);
    let rawBody = '';
    req.setEncoding('utf8');
    for await (const piece of req) rawBody += piece as string;
    const request: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: parseObject(rawBody),
      rawBody,
      receivedAt,
      connectionId: connection?.id ?? 0,
      connectionClosed: connection?.closed ?? Promise.resolve(),
      clientAborted: new Promise((resolve) => {
        res.once('close', () => {
          if (!res.writableFinished) resolve();
        });
      }),
    };
    this.requests.push(request);
    const own = new AbortController();
    res.once('close', () => own.abort());
    const signal = AbortSignal.any([own.signal, this.closing.signal]);
    const handler = this.oneShots.shift() ?? this.handler;
    try {
      await handler({ request, res, signal });
    } catch (error) {
      if (signal.aborted) return;
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end(JSON.stringify({ error: { message: String(error) } }));
    }
  }
}

/** Starts a recording upstream on 127.0.0.1, on a free port. */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const server = createServer();
  const upstream = new RecordingUpstream(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return upstream;
}

/** Text inside every scripted error body: assert that it never reaches a client or a log. */
export const UPSTREAM_SECRET = 'UPSTREAM-SECRET-DETAIL';

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const VENDOR_EXTRAS = { system_fingerprint: 'fp_recording', service_tier: 'default' };
let sequence = 0;

function parseObject(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** `echo:<model>:<last user text>` for a request body (text parts joined by a space). */
export function echoContent(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages)
    ? (body.messages as { role?: unknown; content?: unknown }[])
    : [];
  const content = messages.findLast((m) => m.role === 'user')?.content;
  const text = Array.isArray(content)
    ? (content as { type?: unknown; text?: unknown }[])
        .filter((part) => part.type === 'text')
        .map((part) => String(part.text))
        .join(' ')
    : typeof content === 'string'
      ? content
      : '';
  return `echo:${String(body.model)}:${text}`;
}

function usageFor(body: Record<string, unknown>, content: string): Record<string, unknown> {
  const prompt = JSON.stringify(body.messages ?? []).length >> 2;
  const completion = content.length >> 2;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

/** The default `chat.completion` for a request body. */
export function defaultCompletion(body: Record<string, unknown>): Record<string, unknown> {
  const content = echoContent(body);
  return {
    id: `chatcmpl-rec${++sequence}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: usageFor(body, content),
    ...VENDOR_EXTRAS,
  };
}

/**
 * The default stream's events (without `[DONE]`): a role chunk, the content in three parts, a
 * finish chunk, and a usage chunk when `stream_options.include_usage` is set.
 */
export function defaultStreamEvents(body: Record<string, unknown>): Record<string, unknown>[] {
  const content = echoContent(body);
  const withUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const base = {
    id: `chatcmpl-rec${++sequence}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    ...VENDOR_EXTRAS,
    ...(withUsage ? { usage: null } : {}),
  };
  const choice = (delta: object, finish: string | null = null): Record<string, unknown> => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const third = Math.ceil(content.length / 3);
  const parts = [
    content.slice(0, third),
    content.slice(third, 2 * third),
    content.slice(2 * third),
  ];
  return [
    choice({ role: 'assistant', content: '', refusal: null }),
    ...parts.filter((part) => part !== '').map((part) => choice({ content: part })),
    choice({}, 'stop'),
    ...(withUsage ? [{ ...base, choices: [], usage: usageFor(body, content) }] : []),
  ];
}

/** Writes and waits until the bytes are handed to the socket. */
async function write(res: ServerResponse, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => res.write(text, (e) => (e ? reject(e) : resolve())));
}

const sseData = (event: unknown): string =>
  `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`;

async function writeEvents(res: ServerResponse, events: unknown[]): Promise<void> {
  if (!res.headersSent) res.writeHead(200, SSE_HEADERS).flushHeaders();
  for (const event of events) await write(res, sseData(event));
}

/** After some events: end cleanly without [DONE], go silent, or drop the connection. */
export type StreamEnding = 'end' | 'hang' | 'destroy';

function finish(res: ServerResponse, ending: StreamEnding | 'done'): void {
  if (ending === 'done') res.end(sseData('[DONE]'));
  else if (ending === 'end') res.end();
  else if (ending === 'destroy') res.socket?.destroy();
}

/** The default behaviour: a 404/405 for anything but `POST /v1/chat/completions`. */
export const answerDefault: UpstreamHandler = async ({ request, res }) => {
  if (request.path.split('?')[0] !== '/v1/chat/completions') {
    return void res.writeHead(404, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        error: { message: `Unknown path ${request.path}`, type: 'invalid_request_error' },
      }),
    );
  }
  if (request.method !== 'POST') return void res.writeHead(405).end();
  if (request.body.stream === true) {
    await writeEvents(res, defaultStreamEvents(request.body));
    return finish(res, 'done');
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(defaultCompletion(request.body)));
};

/** Ready-made behaviours for respondWith / nextResponse. */
export const replies = {
  /** The default echo answer (JSON or stream). */
  default: (): UpstreamHandler => answerDefault,

  json:
    (body: unknown, init: ReplyInit = {}): UpstreamHandler =>
    ({ res }) =>
      void res
        .writeHead(init.status ?? 200, { 'content-type': 'application/json', ...init.headers })
        .end(JSON.stringify(body)),

  text:
    (body: string, init: ReplyInit = {}): UpstreamHandler =>
    ({ res }) =>
      void res
        .writeHead(init.status ?? 200, { 'content-type': 'text/plain', ...init.headers })
        .end(body),

  /** An error status with an OpenAI-style body holding UPSTREAM_SECRET, which must never leak. */
  status: (status: number, headers: Record<string, string> = {}): UpstreamHandler =>
    replies.json(
      {
        error: {
          message: `${UPSTREAM_SECRET}: quota for sk-proj-upstream exceeded`,
          type: 'server_error',
          code: null,
        },
      },
      { status, headers },
    ),

  /** 429, with a Retry-After header when given (seconds or an HTTP date). */
  rateLimited: (retryAfter?: string): UpstreamHandler =>
    replies.status(429, retryAfter === undefined ? {} : { 'retry-after': retryAfter }),

  /** HTTP 200 whose JSON is cut off. */
  malformed: (): UpstreamHandler =>
    replies.text('{"id":"chatcmpl-broken","choices":[{', {
      headers: { 'content-type': 'application/json' },
    }),

  redirect: (location: string, status = 307): UpstreamHandler =>
    replies.text('', { status, headers: { location } }),

  /** Waits before sending anything, then behaves as `then`. */
  delay:
    (ms: number, then: UpstreamHandler = answerDefault): UpstreamHandler =>
    async (exchange) => {
      await sleep(ms, undefined, { signal: exchange.signal }).catch(() => undefined);
      if (!exchange.signal.aborted) await then(exchange);
    },

  /** Never answers; the connection stays open until the client leaves or the upstream closes. */
  hang: (): UpstreamHandler => () => undefined,

  /** Drops the connection without answering. */
  destroy:
    (): UpstreamHandler =>
    ({ res }) =>
      void res.socket?.destroy(),

  /** Streams these events (objects as JSON, strings as-is), then `[DONE]` or another ending. */
  sse:
    (events: unknown[], ending: StreamEnding | 'done' = 'done'): UpstreamHandler =>
    async ({ res }) => {
      await writeEvents(res, events);
      finish(res, ending);
    },

  /** The default stream's first `count` events, then `ending` instead of the rest. */
  partialStream:
    (count: number, ending: StreamEnding): UpstreamHandler =>
    async ({ request, res }) => {
      await writeEvents(res, defaultStreamEvents(request.body).slice(0, count));
      finish(res, ending);
    },

  /** The default stream, paused after `count` events until `release()` is called. */
  heldStream: (count = 1): HeldStream => {
    let release = (): void => undefined;
    let paused = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const pausedAt = new Promise<void>((resolve) => (paused = resolve));
    const handler: UpstreamHandler = async ({ request, res, signal }) => {
      const events = defaultStreamEvents(request.body);
      await writeEvents(res, events.slice(0, count));
      paused();
      if (!signal.aborted) await Promise.race([released, once(signal, 'abort')]);
      if (signal.aborted) return;
      await writeEvents(res, events.slice(count));
      finish(res, 'done');
    };
    return { handler, paused: pausedAt, release: () => release() };
  },
};

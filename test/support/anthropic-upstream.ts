import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkAnthropicRequest } from './anthropic-request-check';
import {
  RecordedRequest,
  RecordingUpstream,
  startRecordingUpstream,
  UPSTREAM_SECRET,
  UpstreamExchange,
} from './recording-upstream';

export { UPSTREAM_SECRET };

/** A content block the upstream answers with. */
export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicReply {
  content: ReplyBlock[];
  stopReason?: string;
  /** Cache counters reported in `usage`; input and output are derived from the request. */
  cacheCreation?: number;
  cacheRead?: number;
}

/** How the upstream fails while switched to failing; see `fail()`. */
export type AnthropicFault =
  | { kind: 'rate_limited'; retryAfter?: string }
  | { kind: 'overloaded' }
  | { kind: 'server_error' }
  | { kind: 'unauthorized' }
  | { kind: 'prompt_too_long' }
  /** 200, some text, then an `error` event (overloaded_error) and the connection ends. */
  | { kind: 'mid_stream_error' }
  /** 200, `message_start` and a ping, then an `error` event (overloaded_error) before any content. */
  | { kind: 'error_before_content' }
  /** 200, some text, then the connection ends without `message_stop`. */
  | { kind: 'cut_stream' }
  /** 200, the first events, then silence until the client leaves. */
  | { kind: 'stall_stream' }
  /** No answer at all until the client leaves. */
  | { kind: 'hang' };

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
let sequence = 0;

/**
 * A STRICT Anthropic Messages API on 127.0.0.1: it records every request (see
 * RecordingUpstream) and refuses, with Anthropic's error JSON, whatever the real API (or a
 * stricter compatible one) would refuse: a key sent as `Authorization: Bearer` instead of
 * `x-api-key`, a missing `anthropic-version`, and every body rule of checkAnthropicRequest.
 * Healthy, it answers `echo:<model>:<last user text>` (or the `reply()` set) as JSON or as the
 * real event sequence, with pings, frames split across writes and tool inputs streamed in
 * `input_json_delta` fragments cut at awkward places. `fail()` switches it to a fault at run
 * time, `heal()` back.
 */
export class AnthropicUpstream {
  private fault?: AnthropicFault;
  private answer?: AnthropicReply;

  private constructor(
    private readonly recording: RecordingUpstream,
    readonly apiKey: string,
  ) {
    this.install();
  }

  static async start(apiKey = 'sk-ant-test-key'): Promise<AnthropicUpstream> {
    return new AnthropicUpstream(await startRecordingUpstream(), apiKey);
  }

  /** Base URL as ANTHROPIC_BASE_URL expects (no `/v1`). */
  get url(): string {
    return this.recording.origin;
  }

  get requests(): RecordedRequest[] {
    return this.recording.requests;
  }

  get last(): RecordedRequest {
    return this.recording.last;
  }

  get openConnections(): number {
    return this.recording.openConnections;
  }

  waitForRequest(n = 1): Promise<RecordedRequest> {
    return this.recording.waitForRequest(n);
  }

  fail(fault: AnthropicFault): this {
    this.fault = fault;
    return this;
  }

  heal(): this {
    this.fault = undefined;
    return this;
  }

  /** Answers every following (healthy) request with these blocks. */
  reply(answer: AnthropicReply): this {
    this.answer = answer;
    return this;
  }

  reset(): void {
    this.recording.reset();
    this.fault = undefined;
    this.answer = undefined;
    this.install();
  }

  close(): Promise<void> {
    return this.recording.close();
  }

  private install(): void {
    this.recording.respondWith((exchange) => this.serve(exchange));
  }

  private async serve({ request, res, signal }: UpstreamExchange): Promise<void> {
    const { headers, body } = request;
    if (request.path !== '/v1/messages' || request.method !== 'POST') {
      return sendError(res, 404, 'not_found_error', `Not found: ${request.method} ${request.path}`);
    }
    if (headers.authorization !== undefined || headers['x-api-key'] === undefined) {
      return sendError(res, 401, 'authentication_error', 'x-api-key header is required');
    }
    if (headers['x-api-key'] !== this.apiKey) {
      return sendError(res, 401, 'authentication_error', `invalid x-api-key ${UPSTREAM_SECRET}`);
    }
    if (headers['anthropic-version'] !== '2023-06-01') {
      return sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (!String(headers['content-type']).startsWith('application/json')) {
      return sendError(res, 400, 'invalid_request_error', 'content-type must be application/json');
    }
    const problem = checkAnthropicRequest(parseJson(request.rawBody));
    if (problem !== null) return sendError(res, 400, 'invalid_request_error', problem);

    const stream = body.stream === true;
    const answer = this.answer ?? { content: [{ type: 'text', text: echoText(body) }] };
    const message = messageFor(body, answer);
    const fault = this.fault;
    if (fault !== undefined) {
      switch (fault.kind) {
        case 'rate_limited':
          return sendError(res, 429, 'rate_limit_error', `${UPSTREAM_SECRET}: rate limited`, {
            ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
          });
        case 'overloaded':
          return sendError(res, 529, 'overloaded_error', `${UPSTREAM_SECRET}: Overloaded`);
        case 'server_error':
          return sendError(res, 500, 'api_error', `${UPSTREAM_SECRET}: Internal server error`);
        case 'unauthorized':
          return sendError(
            res,
            401,
            'authentication_error',
            `${UPSTREAM_SECRET}: invalid x-api-key`,
          );
        case 'prompt_too_long':
          return sendError(
            res,
            400,
            'invalid_request_error',
            'prompt is too long: 210000 tokens > 200000 maximum',
          );
        case 'hang':
          return void (await once(signal, 'abort').catch(() => undefined));
        default:
          if (!stream) return sendError(res, 500, 'api_error', `${UPSTREAM_SECRET}: not a stream`);
          return this.failStream(res, message, fault.kind, signal);
      }
    }
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${++sequence}` });
      return void res.end(JSON.stringify(message));
    }
    res.writeHead(200, SSE_HEADERS).flushHeaders();
    for (const event of streamEvents(message)) await writeFrame(res, event);
    res.end();
  }

  private async failStream(
    res: ServerResponse,
    message: Message,
    kind: 'mid_stream_error' | 'error_before_content' | 'cut_stream' | 'stall_stream',
    signal: AbortSignal,
  ): Promise<void> {
    res.writeHead(200, SSE_HEADERS).flushHeaders();
    // message_start, content_block_start, ping, the first text delta (before content: the first 3).
    const sent = kind === 'error_before_content' ? 3 : 4;
    for (const event of streamEvents(message).slice(0, sent)) await writeFrame(res, event);
    if (kind === 'stall_stream') return void (await once(signal, 'abort').catch(() => undefined));
    if (kind === 'mid_stream_error' || kind === 'error_before_content') {
      await writeFrame(res, {
        type: 'error',
        error: { type: 'overloaded_error', message: `${UPSTREAM_SECRET}: Overloaded` },
      });
    }
    res.end();
  }
}

interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ReplyBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: Record<string, number>;
}

function messageFor(body: Record<string, unknown>, answer: AnthropicReply): Message {
  const hasTool = answer.content.some((block) => block.type === 'tool_use');
  return {
    id: `msg_strict${++sequence}`,
    type: 'message',
    role: 'assistant',
    model: String(body.model),
    content: answer.content,
    stop_reason: answer.stopReason ?? (hasTool ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: JSON.stringify(body.messages).length >> 2,
      cache_creation_input_tokens: answer.cacheCreation ?? 0,
      cache_read_input_tokens: answer.cacheRead ?? 0,
      output_tokens: JSON.stringify(answer.content).length >> 2,
    },
  };
}

/** `echo:<model>:<last user text>`, text blocks of the last user message joined by a space. */
export function echoText(body: Record<string, unknown>): string {
  const messages = body.messages as {
    role: string;
    content: string | { type: string; text?: string }[];
  }[];
  const content = messages.findLast((m) => m.role === 'user')?.content ?? '';
  const text =
    typeof content === 'string'
      ? content
      : content
          .filter((b) => b.type === 'text')
          .map((b) => b.text)
          .join(' ');
  return `echo:${String(body.model)}:${text}`;
}

/** The real event sequence for a message, with a ping and usage as the API reports it. */
export function streamEvents(message: Message): Record<string, unknown>[] {
  const { usage, content, stop_reason: stopReason, ...envelope } = message;
  const events: Record<string, unknown>[] = [
    {
      type: 'message_start',
      message: {
        ...envelope,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      if (index === 0) events.push({ type: 'ping' });
      const half = Math.ceil(block.text.length / 2);
      for (const text of [block.text.slice(0, half), block.text.slice(half)].filter(Boolean)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      }
    } else {
      const { input, ...start } = block;
      events.push({ type: 'content_block_start', index, content_block: { ...start, input: {} } });
      if (index === 0) events.push({ type: 'ping' });
      for (const partial of awkwardFragments(JSON.stringify(input))) {
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: partial },
        });
      }
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push(
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    },
    { type: 'message_stop' },
  );
  return events;
}

/**
 * A tool input's JSON as the API streams it: an empty first fragment, then pieces cut inside
 * an escape sequence, inside a string and inside a number. `{}` streams as `""` only.
 */
export function awkwardFragments(json: string): string[] {
  if (json === '{}') return [''];
  const cuts = new Set<number>();
  const escape = json.indexOf('\\');
  if (escape > 0) cuts.add(escape + 1);
  const string = /"[^"\\]{4,}/.exec(json);
  if (string !== null) cuts.add(string.index + 3);
  const number = /\d{2,}/.exec(json);
  if (number !== null) cuts.add(number.index + 1);
  const points = [0, ...[...cuts].sort((a, b) => a - b), json.length];
  const fragments = [''];
  for (let i = 1; i < points.length; i++) fragments.push(json.slice(points[i - 1], points[i]));
  return fragments.filter((fragment, i) => i === 0 || fragment !== '');
}

/** One SSE frame, written in two halves so frames straddle network reads. */
async function writeFrame(res: ServerResponse, event: Record<string, unknown>): Promise<void> {
  const frame = `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
  const half = Math.floor(frame.length / 2);
  for (const piece of [frame.slice(0, half), frame.slice(half)]) {
    await new Promise<void>((resolve, reject) =>
      res.write(piece, (e) => (e ? reject(e) : resolve())),
    );
    await sleep(1);
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_err${++sequence}`,
    ...headers,
  });
  res.end(
    JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_err${sequence}` }),
  );
}

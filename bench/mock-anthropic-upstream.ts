import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveWholeBodies } from './child-entry';

/**
 * A lean Anthropic Messages API for the bench, run as its own process, the counterpart of
 * mock-upstream.ts: it records nothing and parses no JSON. `POST /v1/messages` answers a fixed
 * `message`, or, when the body says `"stream":true`, the real event sequence (message_start,
 * content_block_start, ping, the same four text deltas as the OpenAI mock, content_block_stop,
 * message_delta, message_stop), every event written at once as the OpenAI mock writes its
 * chunks, so the two adapters are timed on streams of the same pace. Entry point of a child
 * process.
 */

const ID = 'msg_bench00000000000000000000';
const MODEL = 'claude-bench';
const TEXT = ['Sure. ', 'Here is ', 'a short ', 'answer.'];
const USAGE = {
  input_tokens: 25,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 1,
};

const message = Buffer.from(
  JSON.stringify({
    id: ID,
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content: [
      {
        type: 'text',
        text: 'Sure. Here is a short answer of about the usual length for a chat turn.',
      },
    ],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { ...USAGE, output_tokens: 17 },
  }),
);

const frame = (data: { type: string } & Record<string, unknown>): Buffer =>
  Buffer.from(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);

/** What a short streamed answer looks like on the Messages API. */
export const ANTHROPIC_STREAM_EVENTS: Buffer[] = [
  frame({
    type: 'message_start',
    message: {
      id: ID,
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: USAGE,
    },
  }),
  frame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  frame({ type: 'ping' }),
  ...TEXT.map((text) =>
    frame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
  ),
  frame({ type: 'content_block_stop', index: 0 }),
  frame({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 4 },
  }),
  frame({ type: 'message_stop' }),
];

/** The last bytes of every stream this mock sends (what a timing loop waits for). */
export const ANTHROPIC_STREAM_END = ANTHROPIC_STREAM_EVENTS.at(-1)!.toString('latin1');

const STREAM_MARK = Buffer.from('"stream":true');
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (req.method !== 'POST' || req.url !== '/v1/messages') {
    res.writeHead(404).end();
    return;
  }
  if (!body.includes(STREAM_MARK)) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': message.length });
    res.end(message);
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  for (const event of ANTHROPIC_STREAM_EVENTS) res.write(event);
  res.end();
}

if (require.main === module) serveWholeBodies(answer);

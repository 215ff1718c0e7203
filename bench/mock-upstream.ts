import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveWholeBodies } from './child-entry';
import { SLOW_GAP_MS, SLOW_MODEL } from './workload';

/**
 * A lean OpenAI-compatible upstream for the bench, run as its own process: it records nothing
 * and parses no JSON. `POST …/chat/completions` answers a fixed `chat.completion`, or an SSE
 * stream when the body says `"stream":true`; a model named `bench-slow` streams its events
 * SLOW_GAP_MS apart (to show whether a target buffers). Entry point of a child process.
 */

const CREATED = 1_732_000_000;
const ID = 'chatcmpl-bench0000000000000000000000';

const completion = Buffer.from(
  JSON.stringify({
    id: ID,
    object: 'chat.completion',
    created: CREATED,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Sure. Here is a short answer of about the usual length for a chat turn.',
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 25,
      completion_tokens: 17,
      total_tokens: 42,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_bench',
  }),
);

const chunk = (delta: object, finish: string | null, usage?: object): Buffer =>
  Buffer.from(
    `data: ${JSON.stringify({
      id: ID,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: 'gpt-4o-mini-2024-07-18',
      system_fingerprint: 'fp_bench',
      choices:
        usage === undefined ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [],
      ...(usage === undefined ? {} : { usage }),
    })}\n\n`,
  );

/** Role, four content deltas, finish, usage, [DONE]: what a short streamed answer looks like. */
const streamEvents: Buffer[] = [
  chunk({ role: 'assistant', content: '' }, null),
  ...['Sure. ', 'Here is ', 'a short ', 'answer.'].map((text) => chunk({ content: text }, null)),
  chunk({}, 'stop'),
  chunk({}, null, { prompt_tokens: 25, completion_tokens: 4, total_tokens: 29 }),
  Buffer.from('data: [DONE]\n\n'),
];

const slowEvents: Buffer[] = [
  chunk({ role: 'assistant', content: '' }, null),
  ...Array.from({ length: 4 }, (_, i) => chunk({ content: `part ${i} ` }, null)),
  chunk({}, 'stop'),
  Buffer.from('data: [DONE]\n\n'),
];

const STREAM_MARK = Buffer.from('"stream":true');
const SLOW_MARK = Buffer.from(SLOW_MODEL);
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function answer(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
    res.writeHead(404).end();
    return;
  }
  if (!body.includes(STREAM_MARK)) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
    res.end(completion);
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  if (!body.includes(SLOW_MARK)) {
    for (const event of streamEvents) res.write(event);
    res.end();
    return;
  }
  // One event every SLOW_GAP_MS from t=0; the finish chunk and [DONE] close the last gap.
  let next = 0;
  const send = (): void => {
    if (res.destroyed) return;
    if (next === slowEvents.length - 2) {
      res.write(slowEvents[next]);
      res.end(slowEvents[next + 1]);
      return;
    }
    res.write(slowEvents[next++]);
    setTimeout(send, SLOW_GAP_MS);
  };
  send();
}

serveWholeBodies(answer);

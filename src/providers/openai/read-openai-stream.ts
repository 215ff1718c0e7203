import type { Dispatcher } from 'undici';
import { classifyTransportError } from '../http/classify-upstream';
import { discardBody, drainBody } from '../http/release-stream-body';
import { SseEventQueue } from '../http/sse-event-queue';
import { ProviderError } from '../provider-error';
import type { ChatChunk } from '../llm-types';
import { parseOpenAiChunk } from './map-openai-chunk';

type ResponseBody = Dispatcher.ResponseData['body'];

/** How long the bytes after `[DONE]` may take to arrive before the connection is dropped. */
const DRAIN_AFTER_DONE_MS = 1_000;

/**
 * Yields the chunks of an OpenAI-compatible SSE body as the bytes arrive: each network read is
 * parsed and its chunks are yielded at once, nothing is held back. Ends at `data: [DONE]`; a body
 * that ends before it, an error event, or a transport failure throws (a ProviderError, see classifyTransportError).
 * Leaving the loop early destroys the body, which closes the upstream request.
 */
export async function* readOpenAiStream(
  body: ResponseBody,
  signal: AbortSignal,
): AsyncGenerator<ChatChunk, void, undefined> {
  const events = new SseEventQueue();
  let done = false;

  function* take(): Generator<ChatChunk, void, undefined> {
    for (let data = events.take(); data !== undefined && !done; data = events.take()) {
      if (data === '[DONE]') done = true;
      else {
        // Events parsed from one network read wait here; an abort must not let them through.
        signal.throwIfAborted();
        yield parseOpenAiChunk(data);
      }
    }
  }

  try {
    // destroyOnReturn: false lets the bytes after [DONE] drain, keeping the connection reusable.
    for await (const bytes of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      events.feed(bytes);
      yield* take();
      if (done) break;
    }
    if (!done) {
      events.end();
      yield* take();
    }
  } catch (error) {
    throw classifyTransportError(error, signal);
  } finally {
    if (done) drainBody(body, DRAIN_AFTER_DONE_MS);
    else discardBody(body);
  }
  if (!done) {
    signal.throwIfAborted();
    throw new ProviderError('server', 'The provider stream ended before [DONE].');
  }
}

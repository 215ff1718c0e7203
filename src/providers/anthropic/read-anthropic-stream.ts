import type { Readable } from 'node:stream';
import { classifyTransportError, malformedResponse } from '../http/classify-upstream';
import { discardBody, drainBody } from '../http/release-stream-body';
import { SseEventQueue } from '../http/sse-event-queue';
import type { ChatChunk } from '../llm-types';
import { AnthropicStreamTranslator } from './anthropic-stream-translator';

/** How long the end of the body after `message_stop` may take before the connection is dropped. */
const DRAIN_AFTER_STOP_MS = 1_000;

/**
 * Yields the ChatChunks of a Messages API SSE body as the bytes arrive: each network read is
 * parsed and its chunks are yielded at once, nothing is held back. Events are keyed on their
 * `data.type` (the `event:` line is redundant). Ends at `message_stop`; an `error` event, a
 * body that ends before `message_stop`, unreadable data or a transport failure throws a
 * ProviderError (the signal's reason once it aborted). Leaving the loop early destroys the
 * body, which closes the upstream request.
 */
export async function* readAnthropicStream(
  body: Readable,
  signal: AbortSignal,
  translator: AnthropicStreamTranslator = new AnthropicStreamTranslator(),
): AsyncGenerator<ChatChunk, void, undefined> {
  const events = new SseEventQueue();

  function* take(): Generator<ChatChunk, void, undefined> {
    for (
      let data = events.take();
      data !== undefined && !translator.complete;
      data = events.take()
    ) {
      // Events parsed from one network read wait here; an abort must not let them through.
      signal.throwIfAborted();
      yield* translator.push(parseEvent(data));
    }
  }

  try {
    // destroyOnReturn: false lets the end of the body drain, keeping the connection reusable.
    for await (const bytes of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      events.feed(bytes);
      yield* take();
      if (translator.complete) break;
    }
    if (!translator.complete) {
      // A final event not followed by a blank line still counts (message_stop often is last).
      events.end();
      yield* take();
    }
    signal.throwIfAborted();
    translator.end();
  } catch (error) {
    throw classifyTransportError(error, signal);
  } finally {
    if (translator.complete) drainBody(body, DRAIN_AFTER_STOP_MS);
    else discardBody(body);
  }
}

function parseEvent(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    // The parser's message may quote the body: only the fact is kept.
    throw malformedResponse('a stream event is not JSON');
  }
}

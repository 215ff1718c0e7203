import { createParser, type EventSourceParser } from 'eventsource-parser';
import { malformedResponse } from './classify-upstream';

/** A single SSE event beyond this is no chat chunk: stop buffering it. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * The `data` of an upstream's SSE events, in order, as the bytes arrive: feed each network
 * read, then `take()` what it completed. Vendor-neutral; each adapter interprets the data.
 */
export class SseEventQueue {
  private readonly events: string[] = [];
  private overflow = false;
  private readonly decoder = new TextDecoder();
  private readonly parser: EventSourceParser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (event) => this.events.push(event.data),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') this.overflow = true;
    },
  });

  feed(bytes: Buffer): void {
    this.parser.feed(this.decoder.decode(bytes, { stream: true }));
  }

  /** The body ended: a final event not followed by a blank line still counts. */
  end(): void {
    this.parser.feed(`${this.decoder.decode()}\n\n`);
  }

  /** The next complete event's data; undefined when none is waiting. Throws on an oversized event. */
  take(): string | undefined {
    if (this.overflow) throw malformedResponse('an SSE event is too large');
    return this.events.shift();
  }
}

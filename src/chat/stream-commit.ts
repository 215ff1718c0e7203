import type { RequestFacts } from '../common/http/request-facts';
import type { ChatChunk } from '../providers/llm-types';
import { chunkEvent, DONE_EVENT } from './sse-events';

/** A stream commits at its first content delta; role-only or empty events before it wait, up to this many. */
const MAX_HELD_EVENTS = 16;

const hasContent = (chunk: ChatChunk): boolean =>
  chunk.choices.some(
    (c) =>
      (typeof c.delta.content === 'string' && c.delta.content !== '') ||
      (c.delta.tool_calls !== undefined && c.delta.tool_calls.length > 0) ||
      c.finish_reason !== null,
  );

/** A provider's stream read up to its commit point: what was held, and the rest (if any). */
export interface HeldStream {
  held: ChatChunk[];
  rest?: { iterator: AsyncIterator<ChatChunk>; pending?: Promise<IteratorResult<ChatChunk>> };
}

/**
 * Reads until the first content delta (the commit point); a failure before it rejects, and the
 * attempt's caller may still try another deployment. A provider silent for longer than
 * `keepAliveMs` is committed anyway (the read in progress carries on in `rest.pending`), so the
 * client gets its headers and keep-alives.
 */
export async function readToCommit(
  chunks: AsyncIterable<ChatChunk>,
  keepAliveMs: number,
  facts: RequestFacts,
): Promise<HeldStream> {
  const iterator = chunks[Symbol.asyncIterator]();
  const held: ChatChunk[] = [];
  let ended = false;
  let pending: Promise<IteratorResult<ChatChunk>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<'silent'>((resolve) => {
    timer = setTimeout(() => resolve('silent'), keepAliveMs);
  });
  try {
    while (held.length < MAX_HELD_EVENTS) {
      pending = iterator.next();
      const step = await Promise.race([pending, silence]);
      if (step === 'silent') break;
      pending = undefined;
      if (step.done === true) {
        ended = true;
        break;
      }
      facts.firstChunkAt ??= performance.now();
      held.push(step.value);
      if (hasContent(step.value)) break;
    }
  } catch (error) {
    await iterator.return?.().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return ended ? { held } : { held, rest: { iterator, pending } };
}

/**
 * The client's events of a committed stream: the held chunks, then the rest as they come, then
 * `[DONE]`. A failure after the commit point ends the stream with the event `onFailure` returns
 * (null: the client has gone, end quietly); leaving early closes the provider stream.
 */
export async function* committedEvents(
  stream: HeldStream,
  includeUsage: boolean,
  onFailure: (error: unknown) => string | null,
): AsyncGenerator<string, void, undefined> {
  const { rest } = stream;
  let done = rest === undefined;
  try {
    // Inside the try: a writer that stops during the held events closes the provider too.
    for (const chunk of stream.held) {
      const event = chunkEvent(chunk, includeUsage);
      if (event !== null) yield event;
    }
    let pending = rest?.pending;
    while (!done && rest !== undefined) {
      const step = await (pending ?? rest.iterator.next());
      pending = undefined;
      if (step.done === true) done = true;
      else {
        const event = chunkEvent(step.value, includeUsage);
        if (event !== null) yield event;
      }
    }
  } catch (error) {
    const event = onFailure(error);
    // The client has gone: nothing to tell it, and the provider stream is closed below.
    if (event === null) return;
    done = true;
    yield event;
    return;
  } finally {
    if (!done) await rest?.iterator.return?.().catch(() => undefined);
  }
  yield DONE_EVENT;
}

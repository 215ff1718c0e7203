import { newRequestFacts } from '../common/http/request-facts';
import type { ChatChunk } from '../providers/llm-types';
import { DONE_EVENT } from './sse-events';
import { committedEvents, readToCommit } from './stream-commit';

const chunk = (delta: ChatChunk['choices'][number]['delta'], finish = null): ChatChunk => ({
  id: 'c',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const role = chunk({ role: 'assistant', content: '' });
const text = (content: string): ChatChunk => chunk({ content });

/** A provider stream that records how far it was read and whether it was closed. */
function provider(steps: Array<ChatChunk | Error | 'hang'>): {
  chunks: AsyncIterable<ChatChunk>;
  read: () => number;
  closed: () => boolean;
} {
  let read = 0;
  let closed = false;
  async function* generate(): AsyncGenerator<ChatChunk> {
    try {
      for (const step of steps) {
        read++;
        if (step === 'hang') await new Promise(() => undefined);
        else if (step instanceof Error) throw step;
        else yield step;
      }
    } finally {
      closed = true;
    }
  }
  return { chunks: generate(), read: () => read, closed: () => closed };
}

async function collect(events: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('readToCommit and committedEvents (the stream commit point)', () => {
  it('holds role-only chunks and commits at the first content delta, reading no further', async () => {
    const p = provider([role, text('Hel'), text('lo')]);
    const held = await readToCommit(p.chunks, 10_000, newRequestFacts());
    expect(held.held).toEqual([role, text('Hel')]);
    expect(p.read()).toBe(2);
    const events = await collect(committedEvents(held, false, () => 'error'));
    expect(events).toHaveLength(4);
    expect(events[2]).toContain('"lo"');
    expect(events[3]).toBe(DONE_EVENT);
  });

  it('rejects a failure before the commit point and closes the provider stream', async () => {
    const p = provider([role, new Error('cut')]);
    await expect(readToCommit(p.chunks, 10_000, newRequestFacts())).rejects.toThrow('cut');
    expect(p.closed()).toBe(true);
  });

  it('commits a silent provider after keepAliveMs, the read in progress carried on', async () => {
    const p = provider([role, 'hang']);
    const started = Date.now();
    const held = await readToCommit(p.chunks, 50, newRequestFacts());
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(held.held).toEqual([role]);
    expect(held.rest?.pending).toBeDefined();
  });

  it('ends a failure after the commit point with the event onFailure gives, not [DONE]', async () => {
    const p = provider([text('a'), new Error('late')]);
    const held = await readToCommit(p.chunks, 10_000, newRequestFacts());
    const failures: unknown[] = [];
    const events = await collect(
      committedEvents(held, false, (error) => (failures.push(error), 'data: {"error":{}}\n\n')),
    );
    expect(events.at(-1)).toBe('data: {"error":{}}\n\n');
    expect(events).not.toContain(DONE_EVENT);
    expect((failures[0] as Error).message).toBe('late');
  });

  it('ends quietly when onFailure says the client has gone', async () => {
    const p = provider([text('a'), new Error('aborted')]);
    const held = await readToCommit(p.chunks, 10_000, newRequestFacts());
    const events = await collect(committedEvents(held, false, () => null));
    expect(events).toHaveLength(1);
    expect(p.closed()).toBe(true);
  });

  it('closes the provider stream when the writer stops reading early', async () => {
    const p = provider([text('a'), text('b'), text('c')]);
    const held = await readToCommit(p.chunks, 10_000, newRequestFacts());
    for await (const event of committedEvents(held, false, () => null)) {
      expect(event).toContain('"a"');
      break;
    }
    expect(p.closed()).toBe(true);
    expect(p.read()).toBe(1);
  });
});

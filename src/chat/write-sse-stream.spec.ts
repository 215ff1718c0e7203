import { once } from 'node:events';
import { get, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { Request, Response } from 'express';
import { newRequestFacts } from '../common/http/request-facts';
import { SseOptions, writeSseStream } from './write-sse-stream';

/** What one served stream did, as seen from the gateway side. */
interface Served {
  /** What each write to the socket carried (one entry per write the kernel sees). */
  socketWrites: string[];
  /** Events the writer pulled from the source so far. */
  pulled: number;
  /** Resolves once the source's `finally` ran (the writer stopped iterating). */
  sourceClosed: Promise<void>;
  /** writeSseStream's own promise. */
  written: Promise<void>;
}

type SocketWrites = {
  _write(chunk: Buffer, encoding: string, cb: () => void): void;
  _writev(chunks: Array<{ chunk: Buffer | string }>, cb: () => void): void;
};

/** Each write the response's socket hands to the kernel, as text (net.Socket's own hooks). */
function recordSocketWrites(res: Response): string[] {
  const writes: string[] = [];
  const socket = res.socket as unknown as SocketWrites;
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (chunk, encoding, cb) => {
    writes.push(chunk.toString());
    write(chunk, encoding, cb);
  };
  socket._writev = (chunks, cb) => {
    writes.push(chunks.map(({ chunk }) => chunk.toString()).join(''));
    writev(chunks, cb);
  };
  return writes;
}

/** A real express app on 127.0.0.1 whose one route writes `source()` with writeSseStream. */
async function serve(
  source: (served: Served) => Iterable<string> | AsyncIterable<string>,
  options: SseOptions,
): Promise<{ url: string; served: Promise<Served>; close(): Promise<void> }> {
  let resolveServed!: (served: Served) => void;
  const served = new Promise<Served>((resolve) => (resolveServed = resolve));
  const app = express();
  app.get('/stream', (_req: Request, res: Response) => {
    res.locals.facts = newRequestFacts();
    let closed!: () => void;
    const state: Served = {
      socketWrites: recordSocketWrites(res),
      pulled: 0,
      sourceClosed: new Promise<void>((resolve) => (closed = resolve)),
      written: Promise.resolve(),
    };
    async function* counted(): AsyncGenerator<string> {
      try {
        for await (const event of source(state)) {
          state.pulled++;
          yield event;
        }
      } finally {
        closed();
      }
    }
    state.written = writeSseStream(res, counted(), options);
    resolveServed(state);
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stream`,
    served,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function open(url: string): Promise<IncomingMessage> {
  const req = get(url);
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  res.setEncoding('utf8');
  return res;
}

/** Everything a client received so far; reading never ends the response. */
class Received {
  text = '';
  ended = false;

  constructor(res: IncomingMessage) {
    res.on('data', (piece: string) => (this.text += piece));
    res.once('close', () => (this.ended = true));
  }

  /** Resolves once the text received holds `needle` (bounded wait). */
  async until(needle: string, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.text.includes(needle)) {
      if (this.ended || Date.now() > deadline) {
        throw new Error(`no ${JSON.stringify(needle)} in ${JSON.stringify(this.text)}`);
      }
      await sleep(5);
    }
    return this.text;
  }
}

/** Waits until the writer stops pulling events (the socket is full), within a bound. */
async function pullingStopped(served: Served): Promise<number> {
  let previous = -1;
  for (let i = 0; i < 50 && served.pulled !== previous; i++) {
    previous = served.pulled;
    await sleep(100);
  }
  expect(served.pulled).toBe(previous);
  return served.pulled;
}

const gauge = (): { value: number; inc(): void; dec(): void } => ({
  value: 0,
  inc() {
    this.value++;
  },
  dec() {
    this.value--;
  },
});

describe('writeSseStream', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('writes each event as it comes, before the next one exists, with SSE headers', async () => {
    let clientHasFirst!: () => void;
    const firstArrived = new Promise<void>((resolve) => (clientHasFirst = resolve));
    const app = await serve(
      async function* () {
        yield 'data: one\n\n';
        // The second event only exists once the client has read the first.
        await firstArrived;
        yield 'data: two\n\n';
      },
      { keepAliveMs: 60_000 },
    );
    close = app.close;
    const res = await open(app.url);

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['server-timing']).toMatch(/^gateway;dur=/);
    const received = new Received(res);
    expect(await received.until('data: one\n\n')).toBe('data: one\n\n');
    clientHasFirst();
    expect(await received.until('data: two\n\n')).toBe('data: one\n\ndata: two\n\n');
    await (
      await app.served
    ).written;
  });

  it('sends events that are ready together in one socket write, and a later one on its own', async () => {
    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    const app = await serve(
      async function* () {
        // Three events parsed from one upstream read, then one that comes later.
        yield* ['data: one\n\n', 'data: two\n\n', 'data: three\n\n'];
        await later;
        yield 'data: four\n\n';
      },
      { keepAliveMs: 60_000 },
    );
    close = app.close;
    const received = new Received(await open(app.url));
    await received.until('data: three\n\n');
    const served = await app.served;
    // The headers and the three events: one write.
    expect(served.socketWrites).toHaveLength(1);
    expect(served.socketWrites[0]).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[^]*data: one\n\n[^]*data: two\n\n[^]*data: three\n\n/,
    );
    expect(received.text).not.toContain('four');
    release();
    await received.until('data: four\n\n');
    await served.written;
    expect(served.socketWrites[1]).toContain('data: four\n\n');
  });

  it('stops pulling events while a slow client does not read, and resumes on drain', async () => {
    const total = 64;
    const event = `data: ${'x'.repeat(1 << 20)}\n\n`; // 1 MiB: socket buffers fill quickly
    const app = await serve(
      function* () {
        for (let i = 0; i < total; i++) yield event;
      },
      { keepAliveMs: 60_000 },
    );
    close = app.close;
    const res = await open(app.url);
    res.pause();
    const served = await app.served;

    expect(await pullingStopped(served)).toBeLessThan(total / 2);

    let received = 0;
    res.on('data', (piece: string) => (received += piece.length));
    res.resume();
    await once(res, 'end');
    expect(received).toBe(total * event.length);
    expect(served.pulled).toBe(total);
    await served.written;
  });

  it('sends keep-alive comments while the source is silent, and none while it flows', async () => {
    const app = await serve(
      async function* () {
        for (let i = 0; i < 5; i++) yield `data: quick-${i}\n\n`;
        await sleep(300);
        yield 'data: late\n\n';
      },
      { keepAliveMs: 50 },
    );
    close = app.close;
    const res = await open(app.url);

    const text = await new Received(res).until('data: late\n\n');
    const beforeSilence = text.slice(0, text.indexOf('data: quick-4\n\n'));
    const silence = text.slice(text.indexOf('data: quick-4\n\n'), text.indexOf('data: late'));
    expect(beforeSilence).not.toContain(': keep-alive');
    expect(silence.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(2);
    await (
      await app.served
    ).written;
  });

  it('stops quietly when the client leaves: the source is closed and the gauge goes back down', async () => {
    const inFlight = gauge();
    const app = await serve(
      async function* () {
        for (let i = 0; i < 10_000; i++) {
          yield `data: ${i}\n\n`;
          await sleep(10);
        }
      },
      { keepAliveMs: 60_000, streamsInFlight: inFlight },
    );
    close = app.close;
    const res = await open(app.url);
    await new Received(res).until('data: 0\n\n');
    const served = await app.served;
    expect(inFlight.value).toBe(1);

    res.destroy();

    await expect(served.written).resolves.toBeUndefined();
    await served.sourceClosed;
    expect(served.pulled).toBeLessThan(100);
    expect(inFlight.value).toBe(0);
  });

  it('stops when the client leaves while the writer waits for drain', async () => {
    const app = await serve(
      function* () {
        for (let i = 0; i < 1_000; i++) yield `data: ${'y'.repeat(1 << 20)}\n\n`;
      },
      { keepAliveMs: 60_000 },
    );
    close = app.close;
    const res = await open(app.url);
    res.pause();
    const served = await app.served;
    const blockedAt = await pullingStopped(served);

    res.destroy();

    await expect(served.written).resolves.toBeUndefined();
    await served.sourceClosed;
    // At most the one event taken after the wait ended, then the loop saw the socket gone.
    expect(served.pulled).toBeLessThanOrEqual(blockedAt + 1);
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALICE, auth } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { expectEnvelope, post, sseEvents } from '../support/http';
import {
  RecordingUpstream,
  replies,
  startRecordingUpstream,
  UpstreamHandler,
} from '../support/recording-upstream';
import { freePort } from '../support/redis-server';
import { report, waitUntil } from './chat-load';

/**
 * Upstream faults through the production build as a real process (issue part 2), filling the
 * gaps of test/e2e/chat-upstream.e2e-spec.ts (5xx, 429, malformed JSON, mid-stream failure,
 * redirects): connection refused, reset and dropped, connect timeout, time-to-first-byte and
 * idle timeouts for streams, and client disconnects seen from the upstream's side.
 */
const UPSTREAM_KEY = 'sk-gateway-upstream-key';
const TTFB_MS = 800;
const IDLE_MS = 500;
const CONNECT_MS = 300;

jest.setTimeout(20_000);

const env = (baseUrl: string): Record<string, string> => ({
  OPENAI_BASE_URL: baseUrl,
  OPENAI_API_KEY: UPSTREAM_KEY,
  DEFAULT_PROVIDER: 'openai',
  API_KEYS: `alice:${ALICE}`,
  UPSTREAM_CONNECT_TIMEOUT_MS: String(CONNECT_MS),
  UPSTREAM_TIMEOUT_MS: String(TTFB_MS),
  UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_MS),
  SSE_KEEPALIVE_MS: '10000',
});

const ask = { model: 'openai/gpt-x', messages: [{ role: 'user', content: 'ping' }] };
const streamAsk = { ...ask, stream: true };

function startStream(gw: GatewayProcess, signal?: AbortSignal): Promise<Response> {
  return fetch(`${gw.url}/native/v1/chat/completions`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify(streamAsk),
    signal,
  });
}

/** Reads an SSE body to its end, noting when each event arrived (ms after the call). */
async function readEvents(res: Response): Promise<Array<{ data: string; atMs: number }>> {
  const started = Date.now();
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ data: string; atMs: number }> = [];
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const complete = buffered.lastIndexOf('\n\n');
    if (complete === -1) continue;
    for (const data of sseEvents(buffered.slice(0, complete + 2))) {
      events.push({ data, atMs: Date.now() - started });
    }
    buffered = buffered.slice(complete + 2);
  }
  return events;
}

/** The process logged `text` (after its first `since` characters); its pipe may lag a little. */
async function eventuallyLogged(process: GatewayProcess, text: string, since = 0): Promise<void> {
  const seen = (): Promise<boolean> =>
    Promise.resolve(process.output().slice(since).includes(text));
  await waitUntil(seen, 2_000).catch(() => undefined);
  expect(process.output().slice(since)).toContain(text);
}

describe('upstream faults (real gateway process)', () => {
  let upstream: RecordingUpstream;
  let gw: GatewayProcess;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    gw = await startGatewayProcess(env(upstream.url));
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await gw?.kill();
    await upstream?.close();
  });

  describe('connection failures', () => {
    it('answers 502 provider_error when the upstream refuses the connection', async () => {
      const refused = await startGatewayProcess(env(`http://127.0.0.1:${await freePort()}/v1`));
      try {
        const t0 = Date.now();
        const json = await post(`${refused.url}/native/v1/chat/completions`, ask);
        const stream = await post(`${refused.url}/native/v1/chat/completions`, streamAsk);
        for (const res of [json, stream]) {
          expect(res.status).toBe(502);
          expectEnvelope(res.body, 'provider_error', 'upstream_error');
          expect((res.body.error as { message: string }).message).toBe(
            'Could not reach the provider.',
          );
        }
        expect(Date.now() - t0).toBeLessThan(1_000);
        await eventuallyLogged(refused, 'ECONNREFUSED');
      } finally {
        await refused.kill();
      }
    });

    it.each<[string, UpstreamHandler, string]>([
      ['reset (RST)', ({ res }) => void res.socket?.resetAndDestroy(), 'ECONNRESET'],
      ['closed without an answer', replies.destroy(), 'UND_ERR_SOCKET'],
    ])(
      'answers 502 provider_error when the upstream connection is %s',
      async (_, handler, code) => {
        upstream.respondWith(handler);
        const logged = gw.output().length;
        for (const body of [ask, streamAsk]) {
          const res = await post(`${gw.url}/native/v1/chat/completions`, body);
          expect(res.status).toBe(502);
          expectEnvelope(res.body, 'provider_error', 'upstream_error');
        }
        await eventuallyLogged(
          gw,
          `provider_error: The connection to the provider failed. (${code})`,
          logged,
        );
        upstream.reset();
        // The pool recovers: the next request gets a fresh connection.
        expect((await post(`${gw.url}/native/v1/chat/completions`, ask)).status).toBe(200);
      },
    );

    it('answers 504 upstream_timeout when the upstream does not accept the connection in time', async () => {
      const stalled = await stalledListener();
      let slow: GatewayProcess | undefined;
      try {
        slow = await startGatewayProcess(env(`http://127.0.0.1:${stalled.port}/v1`));
        const t0 = Date.now();
        const res = await post(`${slow.url}/native/v1/chat/completions`, ask);
        const elapsed = Date.now() - t0;
        expect(res.status).toBe(504);
        expectEnvelope(res.body, 'upstream_timeout', 'upstream_error');
        expect((res.body.error as { message: string }).message).toBe(
          'The provider did not accept the connection in time.',
        );
        await eventuallyLogged(slow, 'UND_ERR_CONNECT_TIMEOUT');
        expect(elapsed).toBeGreaterThanOrEqual(CONNECT_MS - 50);
        expect(elapsed).toBeLessThan(CONNECT_MS + 1_000);
        report('upstream connect timeout', { configuredMs: CONNECT_MS, answeredAfterMs: elapsed });
      } finally {
        await slow?.kill();
        await stalled.close();
      }
    });
  });

  describe('timeouts', () => {
    it('answers a stream whose upstream sends no headers with a plain 504 after UPSTREAM_TIMEOUT_MS', async () => {
      upstream.respondWith(replies.hang());
      const logged = gw.output().length;
      const t0 = Date.now();
      const res = await post(`${gw.url}/native/v1/chat/completions`, streamAsk);
      const elapsed = Date.now() - t0;
      expect(res.status).toBe(504);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expectEnvelope(res.body, 'upstream_timeout', 'upstream_error');
      expect(elapsed).toBeGreaterThanOrEqual(TTFB_MS - 50);
      expect(elapsed).toBeLessThan(TTFB_MS + 1_500);
      await eventuallyLogged(gw, 'UND_ERR_HEADERS_TIMEOUT', logged);
      report('upstream ttfb timeout (stream)', { configuredMs: TTFB_MS, answeredAfterMs: elapsed });
    });

    it('ends a stream with an SSE error event when the upstream goes silent for UPSTREAM_IDLE_TIMEOUT_MS', async () => {
      const held = replies.heldStream(2); // never released
      upstream.respondWith(held.handler);
      const res = await startStream(gw);
      expect(res.status).toBe(200);
      const events = await readEvents(res);
      expect(events.map((e) => e.data)).not.toContain('[DONE]');
      expect(events.length).toBe(3);
      const last = events.at(-1)!;
      expectEnvelope(JSON.parse(last.data), 'upstream_timeout', 'upstream_error');
      const silentFor = last.atMs - events[1].atMs;
      expect(silentFor).toBeGreaterThanOrEqual(IDLE_MS - 50);
      expect(silentFor).toBeLessThan(IDLE_MS + 1_500);
      // The gateway gave up on the upstream connection too, and said why.
      await upstream.last.connectionClosed;
      await eventuallyLogged(gw, 'stream ended by upstream_timeout');
      report('upstream idle timeout (stream)', {
        configuredMs: IDLE_MS,
        errorEventAfterMs: silentFor,
      });
    });

    it('answers 504 when a JSON answer stops halfway for UPSTREAM_IDLE_TIMEOUT_MS', async () => {
      upstream.respondWith(({ res }) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"id":"chatcmpl-1","object":"chat.completion","choices":[');
      });
      const res = await post(`${gw.url}/native/v1/chat/completions`, ask);
      expect(res.status).toBe(504);
      expectEnvelope(res.body, 'upstream_timeout', 'upstream_error');
      await eventuallyLogged(gw, 'UND_ERR_BODY_TIMEOUT');
    });
  });

  describe('client disconnects: the upstream sees its connection close within 1 s', () => {
    async function closedWithin(abort: () => void): Promise<number> {
      const request = await upstream.waitForRequest(1);
      const left = Date.now();
      abort();
      const giveUp = new AbortController();
      await Promise.race([
        request.connectionClosed,
        sleep(3_000, undefined, { signal: giveUp.signal }).catch(() => undefined),
      ]);
      giveUp.abort();
      return Date.now() - left;
    }

    it('for a JSON request waiting on the upstream', async () => {
      upstream.respondWith(replies.hang());
      const controller = new AbortController();
      const pending = fetch(`${gw.url}/native/v1/chat/completions`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify(ask),
        signal: controller.signal,
      }).catch(() => undefined);
      const closedAfter = await closedWithin(() => controller.abort());
      await pending;
      expect(closedAfter).toBeLessThan(1_000);
      report('disconnect (JSON)', { upstreamClosedAfterMs: closedAfter });
    });

    it('for a stream before its first byte', async () => {
      upstream.respondWith(replies.hang());
      const controller = new AbortController();
      const pending = startStream(gw, controller.signal).catch(() => undefined);
      const closedAfter = await closedWithin(() => controller.abort());
      await pending;
      expect(closedAfter).toBeLessThan(1_000);
      report('disconnect before first byte', { upstreamClosedAfterMs: closedAfter });
    });

    it('for a stream in the middle', async () => {
      const held = replies.heldStream(1);
      upstream.respondWith(held.handler);
      const controller = new AbortController();
      const res = await startStream(gw, controller.signal);
      await res.body!.getReader().read();
      await held.paused;
      const closedAfter = await closedWithin(() => controller.abort());
      expect(closedAfter).toBeLessThan(1_000);
      report('disconnect mid-stream', { upstreamClosedAfterMs: closedAfter });
    });
  });
});

/**
 * A loopback listener that accepts no connection: a child process listening with a backlog of
 * one, stopped with SIGSTOP once filler connections have filled its accept queue, so further
 * SYNs are dropped and a connect attempt hangs (Linux). Only this child is ever signalled.
 */
async function stalledListener(): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const script = `require('net').createServer().listen({ port: ${port}, host: '127.0.0.1', backlog: 1 }, () => process.stdout.write('ok'))`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(child.stdout!, 'data');
  child.kill('SIGSTOP');
  const fillers: Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await Promise.race([
      once(socket, 'connect').then(() => true),
      sleep(200).then(() => false),
    ]);
    if (!connected) break; // the accept queue is full
  }
  return {
    port,
    close: async (): Promise<void> => {
      for (const socket of fillers) socket.destroy();
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

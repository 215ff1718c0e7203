import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { ALICE, auth } from '../support/create-test-app';
import { GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { post, sseEvents } from '../support/http';
import { RecordingUpstream, replies, startRecordingUpstream } from '../support/recording-upstream';
import { RedisServerHandle, startRedisServer } from '../support/redis-server';
import { report, waitUntil } from './chat-load';

/**
 * Graceful shutdown (issue part 5) of the production build as a real process: on SIGTERM it
 * stops accepting, lets in-flight requests and streams finish for up to SHUTDOWN_GRACE_MS,
 * then closes Redis and exits 0.
 */
jest.setTimeout(30_000);

const streamRequest = (port: number, body: string): string =>
  [
    'POST /native/v1/chat/completions HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `Authorization: Bearer ${ALICE}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');

/** Whether a new TCP connection to the port is refused. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown (real gateway process)', () => {
  let upstream: RecordingUpstream;
  let redis: RedisServerHandle | undefined;
  let gw: GatewayProcess | undefined;

  beforeAll(async () => {
    upstream = await startRecordingUpstream();
  });
  afterEach(async () => {
    await gw?.kill();
    gw = undefined;
    await redis?.stop();
    redis = undefined;
    upstream.reset();
  });
  afterAll(() => upstream.close());

  const env = (extra: Record<string, string>): Record<string, string> => ({
    OPENAI_BASE_URL: upstream.url,
    OPENAI_API_KEY: 'sk-gateway-upstream-key',
    DEFAULT_PROVIDER: 'openai',
    API_KEYS: `alice:${ALICE}`,
    ...extra,
  });

  it('on SIGTERM refuses new connections, says 503 to new requests and readiness, finishes the stream and the JSON call in flight, closes Redis and exits 0', async () => {
    redis = await startRedisServer();
    gw = await startGatewayProcess(
      env({ CACHE_BACKEND: 'redis', REDIS_URL: redis.url, SHUTDOWN_GRACE_MS: '10000' }),
    );
    const port = Number(new URL(gw.url).port);
    const raw = new Redis(redis.url);
    try {
      expect(String(await raw.client('LIST'))).toContain('name=sentinel');

      // A stream in flight on a raw socket (so a request can be pipelined behind it later).
      const held = replies.heldStream(2);
      upstream.nextResponse(held.handler, replies.delay(800));
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (data: Buffer) => (received += data.toString('utf8')));
      socket.on('error', () => undefined);
      const socketClosed = once(socket, 'close');
      socket.write(
        streamRequest(
          port,
          JSON.stringify({
            model: 'openai/m',
            conversation_id: 'draining-conversation',
            stream: true,
            messages: [{ role: 'user', content: 'stream until I say stop' }],
          }),
        ),
      );
      await held.paused;
      await waitUntil(
        () => Promise.resolve(sseEvents(received.split('\r\n\r\n')[1] ?? '').length >= 1),
        2_000,
      );
      // And a JSON call that the upstream answers only after the signal.
      const json = post(`${gw.url}/native/v1/chat/completions`, {
        model: 'openai/m',
        messages: [{ role: 'user', content: 'slow one' }],
      });
      await upstream.waitForRequest(2);

      const signalledAt = Date.now();
      gw.signal('SIGTERM');
      const refusedAfter = await waitUntil(() => refusesConnections(port), 2_000);
      // A request arriving on an open connection is told the gateway is going away.
      socket.write('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const jsonAnswer = await json;
      expect(jsonAnswer.status).toBe(200);
      await sleep(300);
      expect(gw.child.exitCode).toBeNull(); // the stream still holds the drain open
      expect(received).not.toContain('[DONE]');

      held.release();
      await socketClosed;
      const exitCode = await gw.exited;
      const exitedAfter = Date.now() - signalledAt;

      const [streamed, readiness] = received.split(/(?=HTTP\/1\.1 )/);
      expect(streamed).toMatch(/^HTTP\/1\.1 200 /);
      expect(streamed).toContain('data: [DONE]');
      expect(readiness).toMatch(/^HTTP\/1\.1 503 /);
      expect(readiness).toContain('"code":"shutting_down"');
      expect(readiness.toLowerCase()).toContain('connection: close');
      expect(readiness.toLowerCase()).toContain('retry-after: 1');
      expect(exitCode).toBe(0);
      expect(String(await raw.client('LIST'))).not.toContain('name=sentinel');
      expect(gw.output()).toContain('SIGTERM: draining');
      expect(gw.output()).toContain('shut down cleanly');
      report('graceful shutdown', {
        refusedNewConnectionsAfterMs: refusedAfter,
        exitedAfterMs: exitedAfter,
      });
    } finally {
      raw.disconnect();
    }
  });

  it('cuts a stream that outlives SHUTDOWN_GRACE_MS and still exits 0', async () => {
    gw = await startGatewayProcess(env({ SHUTDOWN_GRACE_MS: '500' }));
    const held = replies.heldStream(1); // never released
    upstream.nextResponse(held.handler);
    const res = await fetch(`${gw.url}/native/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/m',
        stream: true,
        messages: [{ role: 'user', content: 'never ends' }],
      }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    await held.paused;

    const signalledAt = Date.now();
    gw.signal('SIGTERM');
    let text = '';
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // the connection was cut: expected
    }
    const exitCode = await gw.exited;
    const exitedAfter = Date.now() - signalledAt;
    expect(exitCode).toBe(0);
    expect(text).not.toContain('[DONE]');
    expect(exitedAfter).toBeGreaterThanOrEqual(450);
    expect(exitedAfter).toBeLessThan(500 + 2_500);
    await upstream.last.connectionClosed;
    expect(gw.output()).toContain('grace period over');
    report('shutdown grace exceeded', { graceMs: 500, exitedAfterMs: exitedAfter });
  });

  it('exits 0 at once on SIGTERM when idle', async () => {
    gw = await startGatewayProcess(env({}));
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
    const signalledAt = Date.now();
    gw.signal('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(2_000);
  });
});

import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';
import { RedisCommandTimeoutError, withinCommandTimeout } from './within-command-timeout';

/** Busy-waits: the event loop can run nothing else meanwhile (a burst of requests). */
const blockLoop = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe('withinCommandTimeout', () => {
  let server: Server;
  let client: Socket;
  let peer: Socket;

  beforeEach(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    [peer] = (await accepted) as [Socket];
  });
  afterEach(async () => {
    client.destroy();
    peer.destroy();
    server.close();
    await once(server, 'close');
  });

  /** A "command" answered by the next data on the socket. */
  const reply = (): Promise<string> =>
    new Promise((resolve) => client.once('data', (data) => resolve(data.toString())));

  it('a reply that arrived while the loop was busy past the timeout still counts as an answer', async () => {
    const answered = withinCommandTimeout(reply(), 50);
    // The reply reaches the socket at once but sits there while the loop is blocked; the
    // timer has expired when it unblocks, and timers run before sockets are polled.
    peer.write('+PONG\r\n');
    blockLoop(150);
    await expect(answered).resolves.toBe('+PONG\r\n');
  });

  it('a command nobody answers rejects with RedisCommandTimeoutError after about the timeout', async () => {
    const started = Date.now();
    const failure = await withinCommandTimeout(reply(), 100).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RedisCommandTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('passes a rejection through unchanged and ignores a late one after a timeout', async () => {
    const refused = new Error('READONLY');
    await expect(withinCommandTimeout(Promise.reject(refused), 100)).rejects.toBe(refused);
    let rejectLate: (error: Error) => void = () => undefined;
    const late = new Promise<never>((_, reject) => (rejectLate = reject));
    await expect(withinCommandTimeout(late, 20)).rejects.toBeInstanceOf(RedisCommandTimeoutError);
    rejectLate(new Error('connection closed')); // handled: no unhandled rejection
  });
});

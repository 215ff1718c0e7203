import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { bufferedRequest } from './buffered-request';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('bufferedRequest', () => {
  let server: Server;
  let pool: Pool;
  let handler: Handler;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.once('end', () => handler(req, res));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await pool.destroy();
    server.closeAllConnections();
    server.close();
  });

  const post = (signal = new AbortController().signal): ReturnType<typeof bufferedRequest> =>
    bufferedRequest(pool, { method: 'POST', path: '/', body: '{}' }, signal);

  it('reads a 2xx body sent in several writes into one buffer', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 20);
    };
    const response = await post();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body?.toString()).toBe('{"a":1}');
  });

  it('answers a non-2xx at its headers, without its body, while the body is still coming', async () => {
    let finish: () => void = () => undefined;
    handler = (_req, res) => {
      res.writeHead(503, { 'retry-after': '7' });
      res.write('secret upstream detail');
      finish = () => res.end();
    };
    const response = await post();
    expect(response).toEqual({ statusCode: 503, headers: expect.any(Object), body: null });
    expect(response.headers['retry-after']).toBe('7');
    finish();
  });

  it('rejects with the reason of a signal aborted before the call, sending nothing', async () => {
    const before = requests;
    const controller = new AbortController();
    controller.abort(new Error('client left'));
    await expect(post(controller.signal)).rejects.toThrow('client left');
    expect(requests).toBe(before);
  });

  it('rejects with the reason of a signal aborted while waiting for the answer', async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const pending = post(controller.signal);
    setTimeout(() => controller.abort(new Error('gave up')), 20);
    await expect(pending).rejects.toThrow('gave up');
  });
});

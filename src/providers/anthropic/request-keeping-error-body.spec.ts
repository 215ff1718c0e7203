import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { requestKeepingErrorBody } from './request-keeping-error-body';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('requestKeepingErrorBody', () => {
  let server: Server;
  let pool: Pool;
  let handler: Handler;

  beforeAll(async () => {
    server = createServer((req, res) => {
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

  const post = (limit = 16): ReturnType<typeof requestKeepingErrorBody> =>
    requestKeepingErrorBody(
      pool,
      { method: 'POST', path: '/', body: '{}' },
      new AbortController().signal,
      limit,
    );

  it('reads a 2xx body whole and keeps no error body', async () => {
    handler = (_req, res) => res.writeHead(200).end('{"ok":true}');
    const response = await post();
    expect(response.body?.toString()).toBe('{"ok":true}');
    expect(response.errorBody).toBeNull();
  });

  it('keeps the body of an error answer sent in several writes, for classifying it', async () => {
    handler = (_req, res) => {
      res.writeHead(400, { 'request-id': 'req_1' });
      res.write('{"error":');
      setTimeout(() => res.end('1}'), 20);
    };
    const response = await post(1024);
    expect(response).toMatchObject({ statusCode: 400, body: null });
    expect(response.headers['request-id']).toBe('req_1');
    expect(response.errorBody?.toString()).toBe('{"error":1}');
  });

  it('answers at the limit with the first bytes only, while a long error body is still coming', async () => {
    let finish: () => void = () => undefined;
    handler = (_req, res) => {
      res.writeHead(500);
      res.write('x'.repeat(40));
      finish = () => res.end();
    };
    const response = await post(16);
    expect(response.errorBody?.toString()).toBe('x'.repeat(16));
    finish();
  });

  it('classifies an error whose body is cut off by what arrived', async () => {
    handler = (_req, res) => {
      res.writeHead(529, { 'content-length': '100' });
      res.write('{"type":"error"');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await post(1024);
    expect(response.statusCode).toBe(529);
    expect(response.errorBody?.toString()).toBe('{"type":"error"');
  });
});

import type { Express, Request, Response } from 'express';
import { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SentinelExpressAdapter } from './express-adapter';

describe('SentinelExpressAdapter', () => {
  it('creates each request on the prototypes Express gives it, and Express works as before', async () => {
    const adapter = new SentinelExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<Express>();
    const server = adapter.getHttpServer() as HttpServer;
    const created: boolean[] = [];
    // Before Express sees the request: was it created on Express's prototypes?
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
      created.push(
        Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response,
      ),
    );
    app.post('/probe', (req: Request, res: Response) => {
      res.status(201).json({
        app: req.app === app,
        host: req.get('host'),
        incoming: req instanceof IncomingMessage,
        outgoing: res instanceof ServerResponse,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/probe`, { method: 'POST' });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({
        app: true,
        host: `127.0.0.1:${port}`,
        incoming: true,
        outgoing: true,
      });
      expect(created).toEqual([true]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves HTTPS servers to Nest', () => {
    const adapter = new SentinelExpressAdapter();
    adapter.initHttpServer({ httpsOptions: {} });
    expect(adapter.getHttpServer()).toBeInstanceOf(HttpsServer);
  });
});

import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { createServer, IncomingMessage, ServerOptions, ServerResponse } from 'node:http';

/**
 * Nest's Express adapter, with the HTTP server creating each request's `req` and `res` already
 * on the prototypes Express gives them.
 *
 * Express re-parents both objects on every request (`Object.setPrototypeOf` in `app.handle`).
 * In V8 (Node 20) an object whose prototype was changed gets a hidden class of its own for every
 * property added afterwards, and Express, Nest, Node's http and our middleware all add some; so
 * no two requests' `req` (or `res`) share a shape, and every property access on them, in every
 * one of those layers, misses its inline cache and goes to V8's runtime lookup. Created on the
 * right prototype, the re-parenting is a no-op (same prototype), and the shapes are shared again.
 * Nothing else changes: `req instanceof IncomingMessage` holds, `req.app` and every Express
 * method resolve as before. HTTPS servers (`httpsOptions`) keep Nest's own server creation.
 */
export class SentinelExpressAdapter extends ExpressAdapter {
  private readonly serverOptions: ServerOptions<typeof IncomingMessage, typeof ServerResponse>;

  constructor() {
    super();
    const app = this.getInstance<Express>();
    class Request extends IncomingMessage {}
    class Response<Req extends IncomingMessage = IncomingMessage> extends ServerResponse<Req> {}
    Object.setPrototypeOf(Request.prototype, app.request);
    Object.setPrototypeOf(Response.prototype, app.response);
    app.request = Request.prototype as unknown as Express['request'];
    app.response = Response.prototype as unknown as Express['response'];
    this.serverOptions = { IncomingMessage: Request, ServerResponse: Response };
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions !== undefined || options.forceCloseConnections === true) {
      // Nest's own path: HTTPS, or connection tracking (a private method of the adapter).
      super.initHttpServer(options);
      return;
    }
    this.httpServer = createServer(this.serverOptions, this.getInstance());
  }
}

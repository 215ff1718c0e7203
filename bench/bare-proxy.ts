import { createServer, IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { reportListening } from './child-entry';

/**
 * The floor: a bare pass-through proxy on the gateway's own HTTP client (an undici Pool with
 * keep-alive, sized like the gateway's default), streaming the request body up and the response
 * back as it arrives (undici's `stream()`, its fast path for proxies, writes straight into the
 * response). No parsing, no auth, no logging. Entry point of a child process; argv[2] is the
 * upstream origin.
 */
const upstream = process.argv[2];
const pool = new Pool(upstream, { connections: 256 });

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'te',
  'trailer',
]);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const server = createServer((req, res) => {
  pool
    .stream(
      {
        method: req.method as 'POST',
        path: req.url ?? '/',
        headers: forwardable(req.headers),
        body: req,
      },
      ({ statusCode, headers }) => {
        res.writeHead(statusCode, forwardable(headers));
        return res;
      },
    )
    .catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => reportListening((server.address() as AddressInfo).port));

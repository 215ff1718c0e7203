import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For the bench's child processes (mock upstream, bare proxy): tell the parent the port over
 * IPC, and exit when the parent goes away so nothing outlives a crashed run.
 */
export function reportListening(port: number): void {
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}

/**
 * A mock upstream's server: each request's body read whole, then `answer`ed; keep-alive held
 * longer than any client's pool keeps a connection, so the bench never races an idle close.
 */
export function serveWholeBodies(
  answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
): void {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => answer(req, res, parts.length === 1 ? parts[0] : Buffer.concat(parts)));
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => reportListening((server.address() as AddressInfo).port));
}

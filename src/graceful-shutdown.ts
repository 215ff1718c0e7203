import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { DrainService } from './health/drain.service';

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests and streams finish for
 * up to `graceMs`, then close the app (which quits Redis and the upstream pools) and exit 0.
 * Nest's own shutdown hooks re-raise the signal instead, which exits non-zero.
 */
export function installGracefulShutdown(
  app: INestApplication,
  server: Server,
  graceMs: number,
): void {
  const logger = new Logger('Shutdown');
  let started = false;

  const shutdown = (signal: NodeJS.Signals): void => {
    if (started) return;
    started = true;
    logger.log(`${signal}: draining for up to ${graceMs} ms`);
    app.get(DrainService).begin();

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 250);
    const deadline = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), graceMs).unref(),
    );

    void Promise.race([closed, deadline])
      .then(async (outcome) => {
        clearInterval(idleSweep);
        if (outcome === 'timeout') {
          logger.warn('grace period over: closing the remaining connections');
          server.closeAllConnections();
        }
        await app.close();
        logger.log('shut down cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      });
  };

  // once: a second signal while draining falls back to the default (immediate) exit.
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

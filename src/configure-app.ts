import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { jsonBodyMiddleware } from './common/http/json-body.middleware';
import { observeRequestsMiddleware } from './common/http/observe-requests.middleware';
import { requestIdMiddleware } from './common/http/request-id.middleware';
import { appConfig, AppConfig } from './config/app.config';
import { setupDocs } from './docs/setup-docs';
import { DrainService, shuttingDown } from './health/drain.service';
import { RequestLogService } from './logging/request-log.service';
import { MetricsService } from './metrics/metrics.service';

/** What a browser app may read of an answer: the contract's headers (SPEC §4, §5). */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'x-sentinel-provider',
  'x-sentinel-model',
  'x-sentinel-session',
  'retry-after',
  'server-timing',
];

/**
 * Everything an app needs beyond its modules, shared by main.ts and createTestApp() so tests
 * exercise the production HTTP pipeline. The app must be created with `bodyParser: false`.
 */
export function configureApp(app: NestExpressApplication): AppConfig {
  const config = app.get<AppConfig>(appConfig.KEY);
  const drain = app.get(DrainService);
  app.useLogger(app.get(Logger));

  // Behind a load balancer: idle keep-alive sockets outlive the LB's idle timeout, so the LB
  // never reuses a socket we are closing (a 502 at the LB); headers time out after that.
  const server = app.getHttpServer();
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.headersTimeout = config.headersTimeoutMs;
  // Whether X-Forwarded-For names the client (req.ip); off unless the proxies are trusted.
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.set('etag', false);
  // First, so every request is timed from arrival and reported, even one refused below.
  app.use(
    observeRequestsMiddleware([
      app.get(MetricsService).observeRequest,
      app.get(RequestLogService).log,
    ]),
  );
  app.use(requestIdMiddleware());
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: CORS_EXPOSED_HEADERS });
  }
  app.use((req: Request, res: Response, next: NextFunction): void => {
    if (!drain.draining) return next();
    res.setHeader('Connection', 'close');
    if (req.path.startsWith('/health/')) return next();
    next(shuttingDown());
  });
  app.use(jsonBodyMiddleware(config.maxBodyBytes));
  setupDocs(app);
  return config;
}

import pino, { Logger, LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app.config';

/** The app's pino instance: the request log line and every Nest `Logger` write through it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Credentials are never logged on purpose; these paths catch them if an object holding one is
 * ever logged by mistake (request headers, config fragments). Explicit paths only: a `*.key`
 * wildcard made every log line about five times slower.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-key"]',
  'req.headers["x-docs-key"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-admin-key"]',
  'headers["x-docs-key"]',
  'headers["x-api-key"]',
  'authorization',
  'apiKey',
  'apiKeys',
  'adminApiKey',
  'password',
  'token',
  'openai.apiKey',
  'redis.password',
];

/** pino-pretty is a dev dependency: a production install without it still logs (as JSON). */
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function rootLoggerOptions(
  config: Pick<AppConfig, 'logLevel' | 'development'>,
): LoggerOptions {
  const pretty = config.development && prettyAvailable();
  return {
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty && {
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    }),
  };
}

export function createRootLogger(config: AppConfig): Logger {
  return pino(rootLoggerOptions(config));
}

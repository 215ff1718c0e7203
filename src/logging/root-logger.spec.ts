import { Writable } from 'node:stream';
import pino from 'pino';
import { rootLoggerOptions } from './root-logger';

function capture(level = 'info'): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      text += chunk.toString();
      done();
    },
  });
  const options = rootLoggerOptions({ logLevel: level as pino.Level, development: false });
  return {
    logger: pino(options, sink),
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the root logger', () => {
  it('writes JSON with a level label and an ISO time', () => {
    const { logger, lines } = capture();
    logger.info({ request_id: 'r-1' }, 'request completed');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        request_id: 'r-1',
        msg: 'request completed',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
  });

  it('redacts credentials wherever an object carrying them is logged', () => {
    const { logger, lines } = capture();
    logger.info({
      req: {
        headers: {
          authorization: 'Bearer sk-secret-1',
          'x-admin-key': 'admin-secret-2',
          'x-docs-key': 'docs-secret-3',
          cookie: 'session=secret-4',
          accept: 'application/json',
        },
      },
      apiKey: 'sk-secret-5',
      redis: { url: 'redis://cache:6379', password: 'secret-6' },
      token: 'secret-7',
    });
    const text = JSON.stringify(lines());
    expect(text).not.toMatch(/secret-\d/);
    expect(text).toContain('application/json');
    expect(text).toContain('[redacted]');
  });

  it('honours LOG_LEVEL', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(lines().map((l) => l.msg)).toEqual(['shown']);
  });

  it('pretty-prints only in development', () => {
    expect(rootLoggerOptions({ logLevel: 'info', development: false }).transport).toBeUndefined();
    expect(rootLoggerOptions({ logLevel: 'info', development: true }).transport).toMatchObject({
      target: 'pino-pretty',
    });
  });
});

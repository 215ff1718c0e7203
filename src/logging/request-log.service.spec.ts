import { Writable } from 'node:stream';
import pino from 'pino';
import type { CompletedRequest } from '../common/http/completed-request';
import { RequestLogService } from './request-log.service';

const base: CompletedRequest = {
  requestId: 'req-1',
  method: 'POST',
  route: '/native/v1/chat/completions',
  status: 200,
  externalId: 'alice',
  provider: 'openai',
  model: 'gpt-4o-mini',
  session: 'created',
  mode: 'json',
  durationMs: 12.34567,
  upstreamMs: 10.5,
  gatewayMs: 1.84567,
};

function service(level: pino.Level = 'info'): {
  log: RequestLogService;
  lines: () => Record<string, unknown>[];
} {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      text += chunk.toString();
      done();
    },
  });
  const logger = pino({ level, formatters: { level: (label) => ({ level: label }) } }, sink);
  return {
    log: new RequestLogService(logger),
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('RequestLogService', () => {
  it('writes one info line with the request facts, durations rounded to microseconds', () => {
    const { log, lines } = service();
    log.log(base);
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        request_id: 'req-1',
        route: '/native/v1/chat/completions',
        status: 200,
        external_id: 'alice',
        provider: 'openai',
        model: 'gpt-4o-mini',
        session: 'created',
        duration_ms: 12.346,
        upstream_ms: 10.5,
        gateway_ms: 1.846,
      }),
    ]);
    expect(lines()[0]).not.toHaveProperty('ttfb_ms');
  });

  it('logs 5xx at error level', () => {
    const { log, lines } = service();
    log.log({ ...base, status: 502, errorCode: 'provider_error' });
    expect(lines()[0]).toMatchObject({ level: 'error', error_code: 'provider_error' });
  });

  it('logs health probes and metric scrapes at debug only', () => {
    const info = service('info');
    info.log.log({ ...base, route: '/health/ready' });
    info.log.log({ ...base, route: '/metrics' });
    expect(info.lines()).toEqual([]);
    const debug = service('debug');
    debug.log.log({ ...base, route: '/metrics' });
    expect(debug.lines()).toEqual([expect.objectContaining({ level: 'debug', route: '/metrics' })]);
  });
});

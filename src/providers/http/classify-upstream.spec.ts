import { toClientError } from '../../chat/to-client-error';
import { ProviderError } from '../provider-error';
import { classifyStatus, classifyTransportError } from './classify-upstream';
import { parseRetryAfterMs } from './parse-retry-after';

const live = new AbortController().signal;

function undiciError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

function asProviderError(value: unknown): ProviderError {
  expect(value).toBeInstanceOf(ProviderError);
  return value as ProviderError;
}

describe('classifyStatus', () => {
  const now = Date.parse('2025-07-08T12:00:00Z');

  it('calls 429 a rate limit carrying Retry-After in milliseconds', () => {
    const error = classifyStatus(429, { 'retry-after': '7' }, now);

    expect(error.cls).toBe('rate_limit');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('reads a Retry-After HTTP date as the time left until then', () => {
    const error = classifyStatus(429, { 'retry-after': 'Tue, 08 Jul 2025 12:00:30 GMT' }, now);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('leaves retryAfterMs undefined when a 429 has no usable Retry-After', () => {
    expect(classifyStatus(429, {}, now).retryAfterMs).toBeUndefined();
    expect(classifyStatus(429, { 'retry-after': 'soon' }, now).retryAfterMs).toBeUndefined();
  });

  it.each([400, 413, 422])('calls HTTP %i a client error that is never retried', (status) => {
    const error = classifyStatus(status, { 'retry-after': '3' }, now);
    expect(error.cls).toBe('client');
    expect(error.retryable).toBe(false);
  });

  it.each([401, 402, 403, 404])(
    'calls HTTP %i terminal (our key or model): retried elsewhere',
    (status) => {
      const error = classifyStatus(status, {}, now);
      expect(error.cls).toBe('terminal');
      expect(error.retryable).toBe(true);
    },
  );

  it.each([500, 502, 503, 529, 307])('calls HTTP %i a server failure', (status) => {
    const error = classifyStatus(status, {}, now);
    expect(error.cls).toBe('server');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`The provider answered HTTP ${status}.`);
  });

  it('calls 408 a timeout', () => {
    expect(classifyStatus(408, {}, now).cls).toBe('timeout');
  });
});

describe('toClientError', () => {
  it.each([
    ['rate_limit', 429, 'upstream_rate_limited'],
    ['server', 502, 'provider_error'],
    ['terminal', 502, 'provider_error'],
    ['timeout', 504, 'upstream_timeout'],
    ['client', 400, 'provider_rejected_request'],
    ['context_window', 400, 'context_length_exceeded'],
  ] as const)('maps %s to HTTP %i %s', (cls, status, code) => {
    const error = toClientError(new ProviderError(cls, 'The provider answered HTTP 599.'));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
  });

  it('keeps the gateway-written message of server, terminal and timeout failures', () => {
    const error = toClientError(classifyStatus(503, {}));
    expect(error.message).toBe('The provider answered HTTP 503.');
  });

  it('turns retryAfterMs into whole seconds, at least 1', () => {
    const error = (ms: number): number | undefined =>
      toClientError(new ProviderError('rate_limit', 'x', { retryAfterMs: ms })).retryAfterSeconds;
    expect(error(7_000)).toBe(7);
    expect(error(1_200)).toBe(2);
    expect(error(0)).toBe(1);
  });

  it('never answers 401 for our own key being refused: the caller’s key is fine', () => {
    const error = toClientError(classifyStatus(401, {}));
    expect(error.status).toBe(502);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-07-08T12:00:00Z');

  it.each([
    ['0', 0],
    ['120', 120_000],
    ['1.2', 1_200],
    [' 5 ', 5_000],
    [['9', '1'], 9_000],
    ['Tue, 08 Jul 2025 11:00:00 GMT', 0],
    ['Tue, 08 Jul 2025 12:00:00 GMT', 0],
    ['Tue, 08 Jul 2025 12:01:00 GMT', 60_000],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfterMs(value, now)).toBe(ms);
  });

  it.each([undefined, '', 'later', '-5'])('gives undefined for %j', (value) => {
    expect(parseRetryAfterMs(value, now)).toBeUndefined();
  });
});

describe('classifyTransportError', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'The provider did not accept the connection in time.'],
    ['UND_ERR_HEADERS_TIMEOUT', 'The provider did not answer in time.'],
    ['UND_ERR_BODY_TIMEOUT', 'The provider stopped sending data.'],
    ['ETIMEDOUT', 'The provider did not accept the connection in time.'],
  ])('calls %s a timeout', (code, message) => {
    const cause = undiciError(code);
    const error = asProviderError(classifyTransportError(cause, live));

    expect(error.cls).toBe('timeout');
    expect(error.message).toBe(message);
    expect(error.cause).toBe(cause);
  });

  it.each([
    ['ECONNREFUSED', 'Could not reach the provider.'],
    ['ENOTFOUND', 'Could not reach the provider.'],
    ['ECONNRESET', 'The connection to the provider failed.'],
    ['UND_ERR_SOCKET', 'The connection to the provider failed.'],
  ])('calls %s a server failure naming only the code', (code, message) => {
    const error = asProviderError(classifyTransportError(undiciError(code, 'secret detail'), live));

    expect(error.cls).toBe('server');
    expect(error.message).toBe(message);
    expect(error.detail).toBe(code);
    expect(error.message).not.toContain('secret');
  });

  it('reads the code of the first attempt of an AggregateError (multi-address connect)', () => {
    const aggregate = new AggregateError([undiciError('ECONNREFUSED'), undiciError('EPIPE')]);
    expect(asProviderError(classifyTransportError(aggregate, live))).toMatchObject({
      message: 'Could not reach the provider.',
      detail: 'ECONNREFUSED',
    });
  });

  it('returns the abort itself, untouched, once the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = controller.signal.reason as unknown;
    expect(classifyTransportError(abort, controller.signal)).toBe(abort);
  });

  it('passes ProviderErrors through unchanged', () => {
    const original = new ProviderError('server', 'malformed');
    expect(classifyTransportError(original, live)).toBe(original);
  });
});

import { GatewayError } from '../../common/errors/gateway-error';
import { mapUpstreamError, mapUpstreamStatus, parseRetryAfter } from './map-upstream-error';

const live = new AbortController().signal;

function undiciError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

function asGatewayError(value: unknown): GatewayError {
  expect(value).toBeInstanceOf(GatewayError);
  return value as GatewayError;
}

describe('mapUpstreamStatus', () => {
  const now = Date.parse('2025-07-08T12:00:00Z');

  it('turns 429 into upstream_rate_limited with Retry-After seconds', () => {
    const error = mapUpstreamStatus(429, { 'retry-after': '7' }, now);

    expect(error.code).toBe('upstream_rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(7);
  });

  it('reads a Retry-After HTTP date as the seconds left until then', () => {
    const error = mapUpstreamStatus(429, { 'retry-after': 'Tue, 08 Jul 2025 12:00:30 GMT' }, now);

    expect(error.retryAfterSeconds).toBe(30);
  });

  it('leaves retryAfterSeconds undefined when a 429 has no usable Retry-After', () => {
    expect(mapUpstreamStatus(429, {}, now).retryAfterSeconds).toBeUndefined();
    expect(
      mapUpstreamStatus(429, { 'retry-after': 'soon' }, now).retryAfterSeconds,
    ).toBeUndefined();
  });

  it.each([400, 404, 413, 422])(
    'turns HTTP %i, which blames the request, into a 400 provider_rejected_request',
    (status) => {
      const error = mapUpstreamStatus(status, { 'retry-after': '3' }, now);

      expect(error.code).toBe('provider_rejected_request');
      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain(`(HTTP ${status})`);
      expect(error.retryAfterSeconds).toBeUndefined();
    },
  );

  it.each([401, 403, 500, 502, 503, 307])(
    'turns HTTP %i into provider_error naming only the status',
    (status) => {
      const error = mapUpstreamStatus(status, { 'retry-after': '3' }, now);

      expect(error.code).toBe('provider_error');
      expect(error.message).toBe(`The provider answered HTTP ${status}.`);
      expect(error.retryAfterSeconds).toBeUndefined();
    },
  );
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-07-08T12:00:00Z');

  it.each([
    ['0', 0],
    ['120', 120],
    ['1.2', 2],
    [' 5 ', 5],
    [['9', '1'], 9],
    ['Tue, 08 Jul 2025 11:00:00 GMT', 0],
    ['Tue, 08 Jul 2025 12:00:00 GMT', 0],
    ['Tue, 08 Jul 2025 12:01:00 GMT', 60],
  ])('reads %j as %i seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it.each([undefined, '', 'later', '-5'])('gives undefined for %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('mapUpstreamError', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'The provider did not accept the connection in time.'],
    ['UND_ERR_HEADERS_TIMEOUT', 'The provider did not answer in time.'],
    ['UND_ERR_BODY_TIMEOUT', 'The provider stopped sending data.'],
    ['ETIMEDOUT', 'The provider did not accept the connection in time.'],
  ])('maps %s to upstream_timeout', (code, message) => {
    const cause = undiciError(code);
    const error = asGatewayError(mapUpstreamError(cause, live));

    expect(error.code).toBe('upstream_timeout');
    expect(error.status).toBe(504);
    expect(error.message).toBe(message);
    expect(error.cause).toBe(cause);
  });

  it.each([
    ['ECONNREFUSED', 'Could not reach the provider.'],
    ['ENOTFOUND', 'Could not reach the provider.'],
    ['EHOSTUNREACH', 'Could not reach the provider.'],
    ['ECONNRESET', 'The connection to the provider failed.'],
    ['UND_ERR_SOCKET', 'The connection to the provider failed.'],
    ['EPIPE', 'The connection to the provider failed.'],
  ])('maps %s to provider_error', (code, message) => {
    const error = asGatewayError(mapUpstreamError(undiciError(code, 'secret detail'), live));

    expect(error.code).toBe('provider_error');
    expect(error.status).toBe(502);
    expect(error.message).toBe(message);
  });

  it('reads the code of the first attempt of an AggregateError (multi-address connect)', () => {
    const aggregate = new AggregateError([
      undiciError('ECONNREFUSED'),
      undiciError('ECONNREFUSED'),
    ]);

    expect(asGatewayError(mapUpstreamError(aggregate, live)).message).toBe(
      'Could not reach the provider.',
    );
  });

  it('maps an error without a code to provider_error', () => {
    expect(asGatewayError(mapUpstreamError(new Error('weird'), live)).code).toBe('provider_error');
  });

  it('returns the abort itself, untouched, once the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = controller.signal.reason as unknown;

    expect(mapUpstreamError(abort, controller.signal)).toBe(abort);
  });

  it('passes GatewayErrors through unchanged', () => {
    const original = new GatewayError(
      'provider_error',
      'The provider returned a malformed response.',
    );

    expect(mapUpstreamError(original, live)).toBe(original);
  });
});

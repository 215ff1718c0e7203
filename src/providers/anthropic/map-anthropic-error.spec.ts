import type { ProviderError } from '../provider-error';
import {
  mapAnthropicError,
  mapAnthropicStreamError,
  readAnthropicErrorBody,
} from './map-anthropic-error';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const SECRET = 'UPSTREAM-SECRET-DETAIL sk-ant-api03-leak';
/** The documented error shape: `{"type":"error","error":{type,message},"request_id"}`. */
const body = (type: string, message = SECRET, extra: object = {}): Buffer =>
  Buffer.from(
    JSON.stringify({ type: 'error', error: { type, message, ...extra }, request_id: 'req_011' }),
  );
const map = (status: number, raw: Buffer | string | null, headers = {}): ProviderError =>
  mapAnthropicError(status, headers, readAnthropicErrorBody(raw), NOW);

describe('mapAnthropicError', () => {
  it.each([
    [400, 'invalid_request_error', 'client'],
    [401, 'authentication_error', 'terminal'],
    [402, 'billing_error', 'terminal'],
    [403, 'permission_error', 'terminal'],
    [404, 'not_found_error', 'terminal'],
    [409, 'conflict_error', 'server'],
    [413, 'request_too_large', 'client'],
    [422, 'invalid_request_error', 'client'],
    [429, 'rate_limit_error', 'rate_limit'],
    [500, 'api_error', 'server'],
    [504, 'timeout_error', 'timeout'],
    [529, 'overloaded_error', 'server'],
    [418, 'invalid_request_error', 'client'],
    [503, 'api_error', 'server'],
  ])('classifies HTTP %i %s as %s', (status, type, cls) => {
    const error = map(status, body(type));
    expect(error).toMatchObject({ name: 'ProviderError', cls, status });
  });

  it('treats 529 overloaded as a retryable server failure, never as a rate limit', () => {
    const error = map(529, body('overloaded_error', 'Overloaded'), { 'retry-after': '3' });
    expect(error.cls).toBe('server');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3000);
  });

  it('classifies a 400 about a too-long prompt as context_window', () => {
    const error = map(
      400,
      body('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
    );
    expect(error.cls).toBe('context_window');
  });

  it('classifies a 400 about our credit balance as terminal: the account, not the request', () => {
    const error = map(
      400,
      body('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
    );
    expect(error.cls).toBe('terminal');
  });

  it('classifies a 429 for a reached spend limit as terminal, not as a short rate limit', () => {
    const error = map(
      429,
      body('rate_limit_error', 'limit', {
        details: { error_code: 'enforced_spend_limit_reached' },
      }),
    );
    expect(error.cls).toBe('terminal');
  });

  it('takes a 429’s delay from retry-after (seconds or HTTP date), then retry-after-ms', () => {
    expect(map(429, body('rate_limit_error'), { 'retry-after': '17' }).retryAfterMs).toBe(17_000);
    expect(
      map(429, body('rate_limit_error'), { 'retry-after': 'Thu, 03 Dec 2026 10:00:05 GMT' })
        .retryAfterMs,
    ).toBe(5_000);
    expect(map(429, body('rate_limit_error'), { 'retry-after-ms': '1500' }).retryAfterMs).toBe(
      1500,
    );
  });

  it('falls back to the earliest anthropic-ratelimit-*-reset, else no delay', () => {
    const error = map(429, body('rate_limit_error'), {
      'anthropic-ratelimit-requests-reset': '2026-12-03T10:00:30Z',
      'anthropic-ratelimit-tokens-reset': '2026-12-03T10:00:08Z',
    });
    expect(error.retryAfterMs).toBe(8_000);
    expect(map(429, body('rate_limit_error')).retryAfterMs).toBeUndefined();
  });

  it('classifies a 413 with Cloudflare’s HTML body, and an empty or cut body, by status', () => {
    expect(map(413, '<html><body>413 Request Entity Too Large</body></html>').cls).toBe('client');
    expect(map(400, null).cls).toBe('client');
    expect(map(500, '{"type":"error","error":{"ty').cls).toBe('server');
  });

  it('names only the status in the message (a client may see it); the error type and request-id go to the log detail', () => {
    const error = map(401, body('authentication_error'), {
      'request-id': 'req_018EeWyXxfu5pfWkrYcMdjWG',
    });
    expect(error.message).toBe('Anthropic answered HTTP 401.');
    expect(error.detail).toBe('authentication_error, request-id req_018EeWyXxfu5pfWkrYcMdjWG');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('SECRET');
  });

  it('writes no error type or request id that is not identifier-like, even in the detail', () => {
    const error = map(400, body('<script>'), { 'request-id': 'a b c' });
    expect(error.message).toBe('Anthropic answered HTTP 400.');
    expect(error.detail).toBe('unknown error type');
  });
});

describe('mapAnthropicStreamError', () => {
  it.each([
    ['overloaded_error', 'server'],
    ['api_error', 'server'],
    ['rate_limit_error', 'rate_limit'],
    ['timeout_error', 'timeout'],
    ['authentication_error', 'terminal'],
    ['invalid_request_error', 'client'],
    ['something_new_error', 'server'],
  ])('classifies a mid-stream %s as %s, without its message', (type, cls) => {
    const error = mapAnthropicStreamError({ type, message: SECRET });
    expect(error).toMatchObject({
      cls,
      message: 'Anthropic reported an error mid-stream.',
      detail: type,
    });
  });

  it('reads an error event without an error object as a server failure', () => {
    expect(mapAnthropicStreamError(undefined)).toMatchObject({
      cls: 'server',
      message: 'Anthropic reported an error mid-stream.',
      detail: 'no error type',
    });
  });
});

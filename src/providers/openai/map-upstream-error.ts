import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../../common/errors/gateway-error';

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/**
 * Upstream statuses that blame the request itself (bad parameters, context too long, unknown
 * model): the client gets a 400, which clients such as `openai` do not retry, rather than a 502
 * they would retry to the same answer. 401/403 blame the gateway's own key and stay 502.
 */
const REJECTED_REQUEST = new Set([400, 404, 413, 422]);

/**
 * The error for a non-2xx upstream answer. The body is never read into it: upstream bodies may
 * quote prompts or internals and must not reach the client.
 */
export function mapUpstreamStatus(
  status: number,
  headers: Headers,
  nowMs = Date.now(),
): GatewayError {
  if (status === 429) {
    return new GatewayError('upstream_rate_limited', 'The provider is rate limiting requests.', {
      retryAfterSeconds: parseRetryAfter(headers['retry-after'], nowMs),
    });
  }
  if (REJECTED_REQUEST.has(status)) {
    return new GatewayError(
      'provider_rejected_request',
      `The provider rejected the request (HTTP ${status}): check the model name, parameters and message size.`,
    );
  }
  return new GatewayError('provider_error', `The provider answered HTTP ${status}.`);
}

/** `Retry-After` as whole seconds from now: delay-seconds or an HTTP date; unusable → undefined. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw));
  // HTTP dates always name a month; this keeps Date.parse's leniency ('-5' is a year) out.
  const date = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'The provider did not accept the connection in time.',
  ETIMEDOUT: 'The provider did not accept the connection in time.',
  UND_ERR_HEADERS_TIMEOUT: 'The provider did not answer in time.',
  UND_ERR_BODY_TIMEOUT: 'The provider stopped sending data.',
};

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);

/**
 * What to throw for an error raised while talking to the provider. The abort itself is returned
 * unchanged when `signal` is aborted (the client is gone; callers recognise and ignore it), as is
 * a GatewayError; every transport failure becomes upstream_timeout or provider_error with the
 * original error kept only as `cause`.
 */
export function mapUpstreamError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof GatewayError) return error;
  const code = errorCode(error);
  const timeout = code === undefined ? undefined : TIMEOUTS[code];
  if (timeout !== undefined) return new GatewayError('upstream_timeout', timeout, { cause: error });
  const message =
    code !== undefined && UNREACHABLE.has(code)
      ? 'Could not reach the provider.'
      : 'The connection to the provider failed.';
  return new GatewayError('provider_error', message, { cause: error });
}

/** Node reports a failed multi-address connect as an AggregateError: its first error speaks. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}

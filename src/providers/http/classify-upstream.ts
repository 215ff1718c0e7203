import type { IncomingHttpHeaders } from 'node:http';
import { ProviderError } from '../provider-error';
import { parseRetryAfterMs } from './parse-retry-after';

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/** Our key, our account or the model is gone: another deployment may work, this one will not. */
const TERMINAL = new Set([401, 402, 403, 404]);
/** The provider refused this very request: no other deployment will think differently. */
const CLIENT = new Set([400, 413, 422]);

/**
 * The failure for a non-2xx upstream answer, by status alone (vendor-neutral). The body is
 * never read into it: upstream bodies may quote prompts or internals. Adapters that can tell
 * a context-length error from other 400s refine the class themselves.
 */
export function classifyStatus(
  status: number,
  headers: Headers,
  nowMs: number = Date.now(),
): ProviderError {
  const retryAfterMs = parseRetryAfterMs(headers['retry-after'], nowMs);
  if (status === 429) {
    return new ProviderError('rate_limit', 'The provider is rate limiting requests (HTTP 429).', {
      status,
      retryAfterMs,
    });
  }
  if (TERMINAL.has(status)) {
    return new ProviderError(
      'terminal',
      `The provider refused our credentials or model (HTTP ${status}).`,
      {
        status,
      },
    );
  }
  if (CLIENT.has(status)) {
    return new ProviderError('client', `The provider rejected the request (HTTP ${status}).`, {
      status,
    });
  }
  if (status === 408) {
    return new ProviderError('timeout', 'The provider timed out the request (HTTP 408).', {
      status,
    });
  }
  return new ProviderError('server', `The provider answered HTTP ${status}.`, {
    status,
    retryAfterMs,
  });
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
 * What to throw for an error raised while talking to the provider. When `signal` is aborted
 * the error is returned unchanged (the client is gone or the gateway gave up; callers
 * recognise it), as is a ProviderError; every transport failure becomes `timeout` or `server`
 * with the original kept only as `cause`.
 */
export function classifyTransportError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof ProviderError) return error;
  const code = errorCode(error);
  const timeout = code === undefined ? undefined : TIMEOUTS[code];
  if (timeout !== undefined) {
    return new ProviderError('timeout', timeout, { cause: error, detail: code });
  }
  const message =
    code !== undefined && UNREACHABLE.has(code)
      ? 'Could not reach the provider.'
      : 'The connection to the provider failed.';
  return new ProviderError('server', message, { cause: error, detail: code });
}

/** An answer we cannot read counts against the deployment like a 5xx; `detail` is for logs. */
export function malformedResponse(detail: string): ProviderError {
  return new ProviderError('server', 'The provider returned a malformed response.', { detail });
}

/** Node reports a failed multi-address connect as an AggregateError: its first error speaks. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}

/**
 * How an upstream call failed, as routing needs to know it (whether to retry elsewhere, what
 * it does to the deployment's health):
 * - `rate_limit`: 429; retried elsewhere, a cooldown for `retryAfterMs` when given.
 * - `server`: 5xx (529 too), refused or reset connections, unreadable answers; retried.
 * - `timeout`: no connection, no headers or a silent body within the deployment's timeouts.
 * - `terminal`: 401/403/404, our key or the model is gone; retried, long cooldown.
 * - `client`: the provider refused this request (400/413/422); never retried, no health effect.
 * - `context_window`: the prompt is too long for the model; never retried, no health effect.
 */
export type FailureClass =
  'rate_limit' | 'server' | 'timeout' | 'terminal' | 'client' | 'context_window';

/** Failure classes that another deployment may succeed at. */
export const RETRYABLE: ReadonlySet<FailureClass> = new Set([
  'rate_limit',
  'server',
  'timeout',
  'terminal',
]);

export interface ProviderErrorOptions {
  /** The upstream HTTP status, when there was one. */
  status?: number;
  /** The upstream's `Retry-After` (or equivalent), in milliseconds from now. */
  retryAfterMs?: number;
  /** A detail for operators' logs only (a socket error code): never shown to a client. */
  detail?: string;
  /** What caused it, for logs only. */
  cause?: unknown;
}

/**
 * What adapters throw for every failed upstream call. Its message is the gateway's own words
 * (never an upstream body or key), fit for a client; the client-facing error is derived from
 * it once the attempts are spent (`toClientError`).
 */
export class ProviderError extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly detail?: string;

  constructor(
    readonly cls: FailureClass,
    message: string,
    options: ProviderErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.cls);
  }
}

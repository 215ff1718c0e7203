import { ERROR_CODES, ErrorCode } from './error-codes';

export interface GatewayErrorOptions {
  /** The request field at fault, e.g. `messages[0].role`. */
  param?: string | null;
  /** Seconds for a `Retry-After` header (429, 503). */
  retryAfterSeconds?: number;
  /** What caused it, for logs only: never rendered to the client. */
  cause?: unknown;
  /** Extra response headers (the routing headers of a chat request that failed). */
  headers?: Record<string, string>;
}

/**
 * The one error services throw. The global filter renders it as the error envelope; its
 * message is written for the client, so it must never carry upstream bodies, stacks or keys.
 */
export class GatewayError extends Error {
  readonly param: string | null;
  readonly retryAfterSeconds?: number;
  headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get type(): string {
    return ERROR_CODES[this.code].type;
  }

  toEnvelope(): ErrorEnvelope {
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.param },
    };
  }
}

export interface ErrorEnvelope {
  error: { message: string; type: string; code: string; param: string | null };
}

import type { IncomingHttpHeaders } from 'node:http';
import { parseRetryAfterMs } from '../http/parse-retry-after';
import { FailureClass, ProviderError } from '../provider-error';
import { isWireObject } from './anthropic-wire';

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/** What an Anthropic error body says, read only to classify it; never quoted anywhere. */
export interface AnthropicErrorInfo {
  /** `error.type`, e.g. `overloaded_error`. */
  type?: string;
  /** `error.message`: matched against known phrasings, never copied into an error. */
  message?: string;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  errorCode?: string;
}

/** How much of an error body is read to classify it. */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

/** "prompt is too long: 210000 tokens > 200000 maximum" and its relatives. */
const CONTEXT_WINDOW = /prompt is too long|context (window|length)|too many (input )?tokens/i;
/** Our account cannot pay: "Your credit balance is too low", workspace usage limits. */
const ACCOUNT_LIMIT = /credit balance|usage limit|spend(ing)? limit|billing/i;
/** Our key, account or model is at fault: another deployment may work, this one will not. */
const TERMINAL = new Set([401, 402, 403, 404]);
const RATE_LIMIT_RESETS = [
  'anthropic-ratelimit-requests-reset',
  'anthropic-ratelimit-tokens-reset',
  'anthropic-ratelimit-input-tokens-reset',
  'anthropic-ratelimit-output-tokens-reset',
];

/** Reads an error body defensively: a 413 from Cloudflare, for one, is HTML. */
export function readAnthropicErrorBody(body: Buffer | string | null): AnthropicErrorInfo {
  if (body === null || body.length === 0) return {};
  let data: unknown;
  try {
    data = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return {};
  }
  return isWireObject(data) ? readErrorObject(data.error) : {};
}

/**
 * The ProviderError for a non-2xx answer of the Messages API. 529 `overloaded_error` is a
 * server failure (capacity across all users, not our limit); 429 a rate limit, with its
 * retry delay taken from `retry-after`, `retry-after-ms` or the earliest
 * `anthropic-ratelimit-*-reset`; 400 becomes `context_window` when the prompt is too long and
 * `terminal` when our account is out of credit. The message (which a client may see) names
 * only the status; the error type and the `request-id` go to `detail`, for operators' logs:
 * nothing the upstream wrote reaches a client.
 */
export function mapAnthropicError(
  status: number,
  headers: Headers,
  info: AnthropicErrorInfo,
  nowMs: number = Date.now(),
): ProviderError {
  const cls = classify(status, info);
  const retryAfterMs =
    cls === 'rate_limit' || cls === 'server' ? retryAfter(headers, nowMs) : undefined;
  return new ProviderError(cls, `Anthropic answered HTTP ${status}.`, {
    status,
    retryAfterMs,
    detail: detailOf(info, safeToken(header(headers, 'request-id'))),
  });
}

/** The ProviderError for an `error` event that arrives after a 200 (mid-stream). */
export function mapAnthropicStreamError(error: unknown): ProviderError {
  const info = readErrorObject(error);
  return new ProviderError(classifyType(info), 'Anthropic reported an error mid-stream.', {
    detail: detailOf(info, undefined),
  });
}

/** `overloaded_error, request-id req_01...`: what operators need to follow a failure up. */
function detailOf(info: AnthropicErrorInfo, requestId: string | undefined): string {
  const type =
    info.type === undefined ? 'no error type' : (safeToken(info.type) ?? 'unknown error type');
  return requestId === undefined ? type : `${type}, request-id ${requestId}`;
}

function classify(status: number, info: AnthropicErrorInfo): FailureClass {
  if (status === 429) {
    return info.errorCode === 'enforced_spend_limit_reached' ? 'terminal' : 'rate_limit';
  }
  if (TERMINAL.has(status)) return 'terminal';
  if (status === 400) return classifyRequestError(info);
  if (status === 408 || status === 504) return 'timeout';
  // 409 is a conflict the SDK retries; any other 4xx blames this very request.
  if (status >= 400 && status < 500 && status !== 409) return 'client';
  return 'server';
}

function classifyType(info: AnthropicErrorInfo): FailureClass {
  switch (info.type) {
    case 'rate_limit_error':
      return info.errorCode === 'enforced_spend_limit_reached' ? 'terminal' : 'rate_limit';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
    case 'not_found_error':
      return 'terminal';
    case 'invalid_request_error':
      return classifyRequestError(info);
    case 'request_too_large':
      return 'client';
    case 'timeout_error':
      return 'timeout';
    default:
      // overloaded_error, api_error and whatever comes next: the provider failed.
      return 'server';
  }
}

function classifyRequestError(info: AnthropicErrorInfo): FailureClass {
  const message = info.message ?? '';
  if (CONTEXT_WINDOW.test(message)) return 'context_window';
  if (ACCOUNT_LIMIT.test(message)) return 'terminal';
  return 'client';
}

function readErrorObject(error: unknown): AnthropicErrorInfo {
  if (!isWireObject(error)) return {};
  const info: AnthropicErrorInfo = {};
  if (typeof error.type === 'string') info.type = error.type;
  if (typeof error.message === 'string') info.message = error.message;
  if (isWireObject(error.details) && typeof error.details.error_code === 'string') {
    info.errorCode = error.details.error_code;
  }
  return info;
}

function retryAfter(headers: Headers, nowMs: number): number | undefined {
  const seconds = parseRetryAfterMs(headers['retry-after'], nowMs);
  if (seconds !== undefined) return seconds;
  const ms = header(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const resets = RATE_LIMIT_RESETS.map((name) => Date.parse(header(headers, name) ?? ''))
    .filter((at) => !Number.isNaN(at))
    .map((at) => Math.max(0, at - nowMs));
  return resets.length > 0 ? Math.min(...resets) : undefined;
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Only identifier-like values (error types, request ids) are written into messages. */
function safeToken(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
}

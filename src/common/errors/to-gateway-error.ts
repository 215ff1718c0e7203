import { HttpException } from '@nestjs/common';
import { ErrorCode } from './error-codes';
import { GatewayError } from './gateway-error';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_value',
  401: 'invalid_api_key',
  403: 'conversation_forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'upstream_rate_limited',
  503: 'not_ready',
};

/**
 * Maps anything thrown anywhere into a GatewayError. Unknown errors become `internal_error`
 * with a generic message: their own text may hold internals and never reaches the client.
 */
export function toGatewayError(exception: unknown): GatewayError {
  if (exception instanceof GatewayError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = BY_STATUS[status];
    if (code === 'not_found') return new GatewayError(code, 'Not found.');
    if (code !== undefined) return new GatewayError(code, httpExceptionMessage(exception));
  }
  return new GatewayError('internal_error', 'The gateway failed to process the request.', {
    cause: exception,
  });
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

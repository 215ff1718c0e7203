import { GatewayError } from '../common/errors/gateway-error';
import type { ProviderError } from '../providers/provider-error';

/**
 * The one place a classified upstream failure becomes what the client sees (after routing has
 * spent its attempts). ProviderError messages are the gateway's own words, so they are shown;
 * no upstream text reaches the client.
 */
export function toClientError(error: ProviderError): GatewayError {
  const cause = error;
  switch (error.cls) {
    case 'rate_limit':
      return new GatewayError('upstream_rate_limited', 'The provider is rate limiting requests.', {
        retryAfterSeconds:
          error.retryAfterMs === undefined
            ? undefined
            : Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
        cause,
      });
    case 'timeout':
      return new GatewayError('upstream_timeout', error.message, { cause });
    case 'client':
      return new GatewayError(
        'provider_rejected_request',
        `The provider rejected the request${error.status === undefined ? '' : ` (HTTP ${error.status})`}: ` +
          'check the model name, parameters and message size.',
        { cause },
      );
    case 'context_window':
      return new GatewayError(
        'context_length_exceeded',
        "The conversation is longer than the model's context window.",
        { param: 'messages', cause },
      );
    case 'terminal':
    case 'server':
      return new GatewayError('provider_error', error.message, { cause });
  }
}

import { ERROR_CODES, ErrorCode } from '../common/errors/error-codes';
import type { ErrorEnvelope } from '../common/errors/gateway-error';

/** A realistic message (and param) per code, for the examples of every documented error. */
const EXAMPLES = {
  invalid_json: ['Request body is not valid JSON.', null],
  unknown_field: ["Unknown field 'tier'.", 'tier'],
  invalid_value: ['temperature must not be greater than 2', 'temperature'],
  model_required: ['model is required without a conversation_id.', 'model'],
  unknown_provider: [
    "Unknown provider 'nope' in model 'nope/x'. Enabled providers: openai.",
    'model',
  ],
  unknown_model: ["Unknown model 'gpt-5-turbo'. See GET /v1/models for what you can use.", 'model'],
  context_length_exceeded: [
    "The conversation is longer than the model's context window.",
    'messages',
  ],
  provider_rejected_request: [
    'The provider rejected the request (HTTP 400): check the model name, parameters and message size.',
    null,
  ],
  missing_api_key: ['Missing API key: send "Authorization: Bearer <key>".', null],
  invalid_api_key: ['Invalid API key.', null],
  conversation_forbidden: ['This conversation belongs to another caller.', 'conversation_id'],
  not_found: ['Not found.', null],
  session_not_found: ['No such session.', 'conversation_id'],
  method_not_allowed: ['Method not allowed.', null],
  payload_too_large: ['Request body exceeds 5242880 bytes.', null],
  unsupported_media_type: ['Content-Type must be application/json.', null],
  upstream_rate_limited: ['The provider is rate limiting requests.', null],
  internal_error: ['The gateway failed to process the request.', null],
  provider_error: ['The provider answered HTTP 500.', null],
  session_store_unavailable: ['The session store is unavailable; retry shortly.', null],
  no_healthy_deployment: [
    'Every deployment that could serve this request is cooling down.',
    'model',
  ],
  conversation_deployment_unavailable: [
    "This conversation's deployment is cooling down and its group does not migrate conversations.",
    'conversation_id',
  ],
  not_ready: ['Not ready: the session store is unreachable.', null],
  shutting_down: ['The gateway is shutting down.', null],
  upstream_timeout: ['The provider did not answer in time.', null],
} as const satisfies Record<ErrorCode, readonly [string, string | null]>;

export function errorExample(code: ErrorCode): ErrorEnvelope {
  const [message, param] = EXAMPLES[code];
  return { error: { message, type: ERROR_CODES[code].type, code, param } };
}

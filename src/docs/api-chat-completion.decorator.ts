import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ChatCompletionRequestDto } from '../chat/dto/chat-completion-request.dto';
import { ApiGatewayErrors } from './api-gateway-errors.decorator';
import { ChatCompletionChunkSchema } from './schemas/chat-completion-chunk.schema';
import { ChatCompletionSchema } from './schemas/chat-completion.schema';

/** Where each chat surface lives and how a client reaches it. */
export type ChatSurface = 'native' | 'openai-v1';

const INTRO: Record<ChatSurface, string> = {
  native: `
OpenAI-compatible: point the official \`openai\` client at \`baseURL = http://host:port/native/v1\`.
The conversation id travels in the body (\`conversation_id\`; most clients pass extra body fields).
`.trim(),
  'openai-v1': `
OpenAI's own path, for tools that only let you change the base URL: \`baseURL = http://host:port/v1\`.
Same request, answers, headers and errors as \`POST /native/v1/chat/completions\`. The conversation
id may come from the \`x-sentinel-conversation-id\` header (for clients that cannot add body fields)
or the body's \`conversation_id\`; both given and different is 400 \`invalid_value\`.
`.trim(),
};

const DESCRIPTION = `
**Routing.** \`model\` is a group of the routing file, \`provider/model\` (\`openai/gpt-4o-mini\`) or a
bare name routed to \`DEFAULT_PROVIDER\`; \`GET /v1/models\` lists what this gateway routes.

**Conversation stickiness.** With a conversation id, the first request binds the conversation
to its provider and model; every later request with that id is served by the same provider and
model (whatever \`model\` it names) while the session lives (\`SESSION_TTL_SECONDS\`, sliding).
Another caller's id gets 403 \`conversation_forbidden\`. The \`x-sentinel-session\` response header
says what happened. When the session store is down, a request that names a \`model\` is served
statelessly (\`unavailable\`) and one that needs its session gets 503 \`session_store_unavailable\`.

**OpenAI's other fields** (\`seed\`, \`logprobs\`, \`max_completion_tokens\`, \`user\`...) are forwarded
as sent when the serving provider supports them; the others are dropped and named, comma-separated,
in the \`x-sentinel-dropped-params\` response header. Fields outside OpenAI's API (other than
\`conversation_id\` and \`tier\`) are 400 \`unknown_field\`.

**Routing headers.** Besides those listed below: \`x-sentinel-deployment\` (the deployment of the
last attempt), \`x-sentinel-attempts\` (upstream calls made, 1 when nothing failed) and
\`x-sentinel-decision\` (an RFC 8941 dictionary, e.g. \`group="fast", strategy=weighted,
deployment="oai-mini-eu", attempt=2, migrated_from="oai-mini-us", reason=cooldown\`).

**Streaming.** With \`stream: true\` the answer is \`text/event-stream\`: one
\`data: <ChatCompletionChunk>\` event per chunk as it arrives, \`: keep-alive\` comments while the
provider is silent, then \`data: [DONE]\`. A provider failure after the stream started ends it with
\`data: <ErrorEnvelope>\` instead.
`.trim();

const COMPLETION_EXAMPLE = {
  id: 'chatcmpl-9x2Lr8Qm',
  object: 'chat.completion',
  created: 1735689600,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I help?' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
};

const chunk = (delta: object, finish: string | null = null): string =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-9x2Lr8Qm',
    object: 'chat.completion.chunk',
    created: 1735689600,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;

const STREAM_EXAMPLE =
  chunk({ role: 'assistant', content: '' }) +
  chunk({ content: 'Hello' }) +
  chunk({ content: '!' }) +
  chunk({}, 'stop') +
  'data: [DONE]\n\n';

const header = (description: string, values?: string[]): object => ({
  description,
  schema: values === undefined ? { type: 'string' } : { type: 'string', enum: values },
});

const CHAT_HEADERS = {
  'x-request-id': header(
    'The request id: the inbound `x-request-id` when well-formed, else a UUID.',
  ),
  'x-sentinel-provider': header('The provider that served the request.'),
  'x-sentinel-model': header("The provider's model that served it (the session's, if any)."),
  'x-sentinel-session': header(
    'How the conversation binding was used: `created`, `reused`, `none` (no ' +
      '`conversation_id`), `unavailable` (store down; served statelessly).',
    ['created', 'reused', 'none', 'unavailable'],
  ),
  'Server-Timing': header(
    "The gateway's own time and the upstream's, in ms, e.g. " +
      '`gateway;dur=0.41;desc="Sentinel", upstream;dur=812.20` (for a stream: until it started).',
  ),
};

const REQUEST_EXAMPLES = {
  stateless: {
    summary: 'One-off request',
    value: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] },
  },
  conversation: {
    summary: 'Sticky conversation (first turn binds the model)',
    value: {
      model: 'gpt-4o-mini',
      conversation_id: 'support-ticket-4711',
      messages: [
        { role: 'system', content: 'You are a support agent.' },
        { role: 'user', content: 'My order has not arrived.' },
      ],
    },
  },
  followUp: {
    summary: 'Later turn: the bound model serves it, so model may be omitted',
    value: {
      conversation_id: 'support-ticket-4711',
      messages: [{ role: 'user', content: 'Any news?' }],
    },
  },
  stream: {
    summary: 'Streamed, with a final usage chunk',
    value: {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Count to three.' }],
    },
  },
};

const OPERATION_IDS: Record<ChatSurface, string> = {
  native: 'createChatCompletion',
  'openai-v1': 'createOpenAiChatCompletion',
};

/** The request header of the OpenAI-compatible surface (the native one takes the body field). */
const conversationHeader = (surface: ChatSurface): MethodDecorator[] =>
  surface === 'native'
    ? []
    : [
        ApiHeader({
          name: 'x-sentinel-conversation-id',
          required: false,
          description:
            'The conversation id, for clients that cannot add body fields (same rule as ' +
            '`conversation_id`: 1..256 printable ASCII characters, no whitespace).',
          example: 'support-ticket-4711',
        }),
      ];

/** Everything Swagger shows for `POST /native/v1/chat/completions` or `POST /v1/chat/completions`. */
export function ApiChatCompletion(surface: ChatSurface = 'native'): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      operationId: OPERATION_IDS[surface],
      summary: 'Create a chat completion (JSON or streamed)',
      description: `${INTRO[surface]}\n\n${DESCRIPTION}`,
    }),
    ...conversationHeader(surface),
    ApiExtraModels(ChatCompletionSchema, ChatCompletionChunkSchema),
    ApiBody({ type: ChatCompletionRequestDto, examples: REQUEST_EXAMPLES }),
    ApiResponse({
      status: 200,
      description:
        'A `chat.completion` (JSON), or with `stream: true` a `text/event-stream` of ' +
        '`data: <ChatCompletionChunk>` events ending with `data: [DONE]`.',
      headers: CHAT_HEADERS,
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ChatCompletionSchema) },
          example: COMPLETION_EXAMPLE,
        },
        'text/event-stream': {
          schema: {
            type: 'string',
            description:
              'Server-Sent Events: each `data:` line holds one ChatCompletionChunk (see ' +
              'Schemas), then `data: [DONE]`; `: keep-alive` comment lines may appear between.',
          },
          example: STREAM_EXAMPLE,
        },
      },
    }),
    ApiGatewayErrors(
      'invalid_json',
      'unknown_field',
      'invalid_value',
      'model_required',
      'unknown_provider',
      'unknown_model',
      'provider_rejected_request',
      'context_length_exceeded',
      'missing_api_key',
      'invalid_api_key',
      'conversation_forbidden',
      'payload_too_large',
      'unsupported_media_type',
      'upstream_rate_limited',
      'internal_error',
      'provider_error',
      'session_store_unavailable',
      'no_healthy_deployment',
      'conversation_deployment_unavailable',
      'shutting_down',
      'upstream_timeout',
    ),
  );
}

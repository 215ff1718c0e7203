import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMinSize, IsBoolean, IsIn, IsInt, IsNumber, Matches, Max, Min } from 'class-validator';
import { OptionalField } from '../../common/validation/null-as-absent.decorator';
import { NestedObject, NestedObjects } from '../../common/validation/nested.decorator';
import { Satisfies } from '../../common/validation/satisfies.decorator';
import type { ToolChoice } from '../../providers/llm-types';
import { TIERS, type Tier } from '../chat-command';
import { ChatMessageDto } from './chat-message.dto';
import { CONVERSATION_ID } from '../../session/conversation-id';
import { stopProblem, toolChoiceProblem } from './message-content.rules';
import { OpenAiParamsDto } from './openai-params.dto';
import { StreamOptionsDto, ToolDto } from './tool.dto';

const FINITE = { allowNaN: false, allowInfinity: false };
/** `model`: 1..256 printable ASCII characters, no whitespace. */
export const MODEL = /^[\x21-\x7e]{1,256}$/;

/** The bounds of the numeric sampling fields (the compiled check in common-chat-body reads them too). */
export const BOUNDS = {
  temperature: { min: 0, max: 2 },
  top_p: { min: 0, max: 1 },
  max_tokens: { min: 1, max: 10_000_000 },
} as const;

const CONVERSATION_ID_DOC = [
  'Optional. Turns on conversation stickiness: the first request with a new id binds the',
  'conversation to the provider and model it names, and every later request with that id is',
  'served by that same provider and model, whatever `model` it names (which may then be',
  'omitted). The binding lives `SESSION_TTL_SECONDS` (24 h by default) and each request',
  'slides that window; after it expires the next request binds afresh. The binding belongs to',
  'the caller that created it: another API key using the same id gets 403',
  '`conversation_forbidden`. The response header `x-sentinel-session` says what happened',
  '(`created`, `reused`, `none` without an id, `unavailable` when the session store is down).',
  'Never sent upstream. 1..256 printable ASCII characters, no whitespace.',
].join(' ');

/**
 * `POST /native/v1/chat/completions`: OpenAI's chat request plus `conversation_id` and `tier`.
 * Unknown fields at any level are rejected by the global ValidationPipe; `null` on an optional
 * field reads as absent (OptionalField), so nothing downstream ever sees it.
 */
@ApiSchema({
  name: 'ChatCompletionRequest',
  description:
    "OpenAI's chat request plus `conversation_id` and `tier`. Unknown fields are rejected " +
    '(400 `unknown_field`); `null` on an optional field means the field is absent.',
})
export class ChatCompletionRequestDto extends OpenAiParamsDto {
  @ApiPropertyOptional({
    description:
      '`provider/model` (the first segment names the provider) or a bare model name, routed to ' +
      '`DEFAULT_PROVIDER`. Required without `conversation_id` and to start a conversation; a ' +
      'live conversation is served by its bound model whatever this names.',
    pattern: MODEL.source,
    example: 'openai/gpt-4o-mini',
  })
  @OptionalField()
  @Matches(MODEL, {
    message: 'model must be 1..256 printable characters without spaces',
  })
  model?: string;

  @ApiProperty({ type: () => ChatMessageDto, isArray: true, minItems: 1 })
  @NestedObjects(() => ChatMessageDto)
  @ArrayMinSize(1)
  messages!: ChatMessageDto[];

  @ApiPropertyOptional({
    description: CONVERSATION_ID_DOC,
    minLength: 1,
    maxLength: 256,
    pattern: CONVERSATION_ID.source,
    example: 'support-ticket-4711',
  })
  @OptionalField()
  @Matches(CONVERSATION_ID, {
    message: 'conversation_id must be 1..256 printable ASCII characters without whitespace',
  })
  conversation_id?: string;

  @ApiPropertyOptional({
    enum: TIERS,
    description:
      'Optional routing hint: picks the tier’s group when the request names no model or starts ' +
      'a conversation. Never sent upstream.',
  })
  @OptionalField()
  @IsIn(TIERS)
  tier?: Tier;

  @ApiPropertyOptional({
    default: false,
    description:
      'Answer as Server-Sent Events (`text/event-stream`): `data: <ChatCompletionChunk>` events, ' +
      'then `data: [DONE]`.',
  })
  @OptionalField()
  @IsBoolean()
  stream?: boolean;

  /** OpenAI's streaming option: send a final usage chunk. */
  @ApiPropertyOptional({ type: () => StreamOptionsDto })
  @OptionalField()
  @NestedObject(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;

  @ApiPropertyOptional({
    minimum: BOUNDS.temperature.min,
    maximum: BOUNDS.temperature.max,
    example: 0.7,
  })
  @OptionalField()
  @IsNumber(FINITE)
  @Min(BOUNDS.temperature.min)
  @Max(BOUNDS.temperature.max)
  temperature?: number;

  @ApiPropertyOptional({ minimum: BOUNDS.top_p.min, maximum: BOUNDS.top_p.max, example: 1 })
  @OptionalField()
  @IsNumber(FINITE)
  @Min(BOUNDS.top_p.min)
  @Max(BOUNDS.top_p.max)
  top_p?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: BOUNDS.max_tokens.min,
    maximum: BOUNDS.max_tokens.max,
    example: 256,
  })
  @OptionalField()
  @IsInt()
  @Min(BOUNDS.max_tokens.min)
  @Max(BOUNDS.max_tokens.max)
  max_tokens?: number;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 4 }],
    description: 'A stop sequence, or up to 4.',
    example: ['\n\n'],
  })
  @OptionalField()
  @Satisfies('stop', stopProblem)
  stop?: string | string[];

  @ApiPropertyOptional({ type: () => ToolDto, isArray: true })
  @OptionalField()
  @NestedObjects(() => ToolDto)
  tools?: ToolDto[];

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: ['none', 'auto', 'required'] },
      {
        type: 'object',
        required: ['type', 'function'],
        properties: {
          type: { type: 'string', enum: ['function'] },
          function: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' } },
          },
        },
      },
    ],
    example: 'auto',
  })
  @OptionalField()
  @Satisfies('toolChoice', toolChoiceProblem)
  tool_choice?: ToolChoice;
}

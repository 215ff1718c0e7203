import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Satisfies } from '../../common/validation/satisfies.decorator';
import type { ToolChoice } from '../../providers/llm-types';
import { ChatMessageDto } from './chat-message.dto';
import {
  CONVERSATION_ID,
  stopProblem,
  TOOL_NAME,
  toolChoiceProblem,
} from './message-content.rules';

const FINITE = { allowNaN: false, allowInfinity: false };
const MODEL = /^[\x21-\x7e]{1,256}$/;

@ApiSchema({ name: 'FunctionDefinition' })
export class FunctionDefinitionDto {
  @ApiProperty({ pattern: TOOL_NAME.source, example: 'get_weather' })
  @IsString()
  @Matches(TOOL_NAME)
  name!: string;

  @ApiPropertyOptional({ maxLength: 8192, example: 'Current weather for a city.' })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  description?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema of the arguments.',
    example: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() strict?: boolean;
}

@ApiSchema({ name: 'Tool', description: 'An OpenAI function tool.' })
export class ToolDto {
  @ApiProperty({ enum: ['function'] }) @IsIn(['function']) type!: 'function';

  @ApiProperty({ type: () => FunctionDefinitionDto })
  @ValidateNested()
  @Type(() => FunctionDefinitionDto)
  function!: FunctionDefinitionDto;
}

@ApiSchema({ name: 'StreamOptions' })
export class StreamOptionsDto {
  @ApiPropertyOptional({
    description: 'Send a final chunk with `usage` (and no choices) before `data: [DONE]`.',
  })
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;
}

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
 * `POST /native/v1/chat/completions` (SPEC §4). Unknown fields at any DTO level are rejected
 * by the global ValidationPipe; `conversation_id` never travels upstream.
 */
@ApiSchema({
  name: 'ChatCompletionRequest',
  description: "OpenAI's chat request plus `conversation_id`; unknown fields are rejected (400).",
})
export class ChatCompletionRequestDto {
  @ApiPropertyOptional({
    description:
      '`provider/model` (the first segment names the provider) or a bare model name, routed to ' +
      '`DEFAULT_PROVIDER`. Required without `conversation_id` and to start a conversation; a ' +
      'live conversation is served by its bound model whatever this names.',
    pattern: MODEL.source,
    example: 'openai/gpt-4o-mini',
  })
  @IsOptional()
  @Matches(MODEL, {
    message: 'model must be 1..256 printable characters without spaces',
  })
  model?: string;

  @ApiProperty({ type: () => ChatMessageDto, isArray: true, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ChatMessageDto)
  messages!: ChatMessageDto[];

  @ApiPropertyOptional({
    description: CONVERSATION_ID_DOC,
    minLength: 1,
    maxLength: 256,
    pattern: CONVERSATION_ID.source,
    example: 'support-ticket-4711',
  })
  @IsOptional()
  @Matches(CONVERSATION_ID, {
    message: 'conversation_id must be 1..256 printable ASCII characters without whitespace',
  })
  conversation_id?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Answer as Server-Sent Events (`text/event-stream`): `data: <ChatCompletionChunk>` events, ' +
      'then `data: [DONE]`.',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  /** OpenAI's streaming option: send a final usage chunk. */
  @ApiPropertyOptional({ type: () => StreamOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;

  @ApiPropertyOptional({ minimum: 0, maximum: 2, example: 0.7 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: 1 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  top_p?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000_000, example: 256 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  max_tokens?: number;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 4 }],
    description: 'A stop sequence, or up to 4.',
    example: ['\n\n'],
  })
  @IsOptional()
  @Satisfies('stop', stopProblem)
  stop?: string | string[];

  @ApiPropertyOptional({ type: () => ToolDto, isArray: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ToolDto)
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
  @IsOptional()
  @Satisfies('toolChoice', toolChoiceProblem)
  tool_choice?: ToolChoice;
}

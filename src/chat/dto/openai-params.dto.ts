import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { OptionalField } from '../../common/validation/null-as-absent.decorator';
import { NestedObject } from '../../common/validation/nested.decorator';
import { Satisfies } from '../../common/validation/satisfies.decorator';
import {
  AudioOutputDto,
  LOW_MEDIUM_HIGH,
  PredictionDto,
  ResponseFormatDto,
  WebSearchOptionsDto,
} from './openai-options.dto';
import { logitBiasProblem, metadataProblem, topLogprobsProblem } from './openai-params.rules';

const FINITE = { allowNaN: false, allowInfinity: false };
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
export const SERVICE_TIERS = ['auto', 'default', 'flex', 'scale', 'priority'];
export const MODALITIES = ['text', 'audio'];

/**
 * OpenAI's request fields beyond the core ones (`OPTIONAL_PARAMS`), validated as OpenAI defines
 * them. Whether one reaches the upstream depends on the serving adapter.
 */
export class OpenAiParamsDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 128, example: 1 })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(128)
  n?: number;

  @ApiPropertyOptional({ type: 'integer', example: 42 })
  @OptionalField()
  @IsInt()
  seed?: number;

  @ApiPropertyOptional({ type: () => ResponseFormatDto })
  @OptionalField()
  @NestedObject(() => ResponseFormatDto)
  response_format?: ResponseFormatDto;

  @ApiPropertyOptional({ minimum: -2, maximum: 2 })
  @OptionalField()
  @IsNumber(FINITE)
  @Min(-2)
  @Max(2)
  presence_penalty?: number;

  @ApiPropertyOptional({ minimum: -2, maximum: 2 })
  @OptionalField()
  @IsNumber(FINITE)
  @Min(-2)
  @Max(2)
  frequency_penalty?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number', minimum: -100, maximum: 100 },
    description: 'Token id → bias in -100..100.',
    example: { '50256': -100 },
  })
  @OptionalField()
  @Satisfies('logitBias', logitBiasProblem)
  logit_bias?: Record<string, number>;

  @ApiPropertyOptional() @OptionalField() @IsBoolean() logprobs?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 20,
    description: 'Needs `logprobs: true`.',
  })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(20)
  @Satisfies('topLogprobs', topLogprobsProblem)
  top_logprobs?: number;

  @ApiPropertyOptional({ description: 'Deprecated by OpenAI for `safety_identifier`.' })
  @OptionalField()
  @IsString()
  @MaxLength(512)
  user?: string;

  @ApiPropertyOptional() @OptionalField() @IsBoolean() parallel_tool_calls?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000_000 })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  max_completion_tokens?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 512 },
    maxProperties: 16,
    description: 'Up to 16 string pairs; keys up to 64 characters, values up to 512.',
  })
  @OptionalField()
  @Satisfies('metadata', metadataProblem)
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ enum: REASONING_EFFORTS })
  @OptionalField()
  @IsIn(REASONING_EFFORTS)
  reasoning_effort?: string;

  @ApiPropertyOptional({ enum: SERVICE_TIERS })
  @OptionalField()
  @IsIn(SERVICE_TIERS)
  service_tier?: string;

  @ApiPropertyOptional() @OptionalField() @IsBoolean() store?: boolean;

  @ApiPropertyOptional({ type: 'string', enum: MODALITIES, isArray: true, example: ['text'] })
  @OptionalField()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsIn(MODALITIES, { each: true })
  modalities?: string[];

  @ApiPropertyOptional({ type: () => AudioOutputDto })
  @OptionalField()
  @NestedObject(() => AudioOutputDto)
  audio?: AudioOutputDto;

  @ApiPropertyOptional({ type: () => PredictionDto })
  @OptionalField()
  @NestedObject(() => PredictionDto)
  prediction?: PredictionDto;

  @ApiPropertyOptional({ type: () => WebSearchOptionsDto })
  @OptionalField()
  @NestedObject(() => WebSearchOptionsDto)
  web_search_options?: WebSearchOptionsDto;

  @ApiPropertyOptional({ maxLength: 1024 })
  @OptionalField()
  @IsString()
  @MaxLength(1024)
  prompt_cache_key?: string;

  @ApiPropertyOptional({ maxLength: 512 })
  @OptionalField()
  @IsString()
  @MaxLength(512)
  safety_identifier?: string;

  @ApiPropertyOptional({ enum: LOW_MEDIUM_HIGH })
  @OptionalField()
  @IsIn(LOW_MEDIUM_HIGH)
  verbosity?: string;
}

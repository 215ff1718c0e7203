import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { NullAsAbsent, OptionalField } from '../../common/validation/null-as-absent.decorator';
import { NestedObject } from '../../common/validation/nested.decorator';
import { Satisfies } from '../../common/validation/satisfies.decorator';
import { predictionContentProblem, voiceProblem } from './openai-params.rules';

export const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'] as const;
export const AUDIO_FORMATS = ['wav', 'aac', 'mp3', 'flac', 'opus', 'pcm16'] as const;
export const LOW_MEDIUM_HIGH = ['low', 'medium', 'high'] as const;
const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

@ApiSchema({ name: 'JsonSchemaFormat' })
export class JsonSchemaFormatDto {
  @ApiProperty({ pattern: SCHEMA_NAME.source, example: 'weather_report' })
  @IsString()
  @Matches(SCHEMA_NAME)
  name!: string;

  @ApiPropertyOptional() @OptionalField() @IsString() description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalField()
  @IsObject()
  schema?: Record<string, unknown>;

  @ApiPropertyOptional() @OptionalField() @IsBoolean() strict?: boolean;
}

@ApiSchema({
  name: 'ResponseFormat',
  description:
    '`{"type":"text"}`, `{"type":"json_object"}` or `{"type":"json_schema","json_schema"}`.',
})
export class ResponseFormatDto {
  @ApiProperty({ enum: RESPONSE_FORMATS }) @IsIn(RESPONSE_FORMATS) type!: string;

  @ApiPropertyOptional({
    type: () => JsonSchemaFormatDto,
    description: 'Required with type json_schema, only then.',
  })
  @NullAsAbsent()
  @ValidateIf((f: ResponseFormatDto) => f.type === 'json_schema' || f.json_schema !== undefined)
  @Satisfies('jsonSchemaType', (_, f) =>
    f.type === 'json_schema' ? null : 'is allowed only with type json_schema',
  )
  @NestedObject(() => JsonSchemaFormatDto)
  json_schema?: JsonSchemaFormatDto;
}

@ApiSchema({
  name: 'AudioOutput',
  description: 'Audio output options (with `modalities: ["audio"]`).',
})
export class AudioOutputDto {
  @ApiProperty({
    oneOf: [
      { type: 'string', example: 'alloy' },
      { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    ],
  })
  @Satisfies('voice', voiceProblem)
  voice!: string | { id: string };

  @ApiProperty({ enum: AUDIO_FORMATS }) @IsIn(AUDIO_FORMATS) format!: string;
}

@ApiSchema({ name: 'Prediction', description: 'Predicted output, for faster regeneration.' })
export class PredictionDto {
  @ApiProperty({ enum: ['content'] }) @IsIn(['content']) type!: 'content';

  @ApiProperty({
    oneOf: [
      { type: 'string' },
      {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['type', 'text'],
          properties: { type: { type: 'string', enum: ['text'] }, text: { type: 'string' } },
        },
      },
    ],
  })
  @Satisfies('predictionContent', predictionContentProblem)
  content!: string | Array<{ type: 'text'; text: string }>;
}

@ApiSchema({ name: 'ApproximateLocation' })
export class ApproximateLocationDto {
  @ApiPropertyOptional() @OptionalField() @IsString() @MaxLength(256) city?: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2, e.g. `US`.' })
  @OptionalField()
  @IsString()
  @MaxLength(256)
  country?: string;
  @ApiPropertyOptional() @OptionalField() @IsString() @MaxLength(256) region?: string;
  @ApiPropertyOptional({ description: 'IANA time zone, e.g. `America/Chicago`.' })
  @OptionalField()
  @IsString()
  @MaxLength(256)
  timezone?: string;
}

@ApiSchema({ name: 'UserLocation' })
export class UserLocationDto {
  @ApiProperty({ enum: ['approximate'] }) @IsIn(['approximate']) type!: 'approximate';

  @ApiProperty({ type: () => ApproximateLocationDto })
  @NestedObject(() => ApproximateLocationDto)
  approximate!: ApproximateLocationDto;
}

@ApiSchema({ name: 'WebSearchOptions' })
export class WebSearchOptionsDto {
  @ApiPropertyOptional({ enum: LOW_MEDIUM_HIGH })
  @OptionalField()
  @IsIn(LOW_MEDIUM_HIGH)
  search_context_size?: string;

  @ApiPropertyOptional({ type: () => UserLocationDto })
  @OptionalField()
  @NestedObject(() => UserLocationDto)
  user_location?: UserLocationDto;
}

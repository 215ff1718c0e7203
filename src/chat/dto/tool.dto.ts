import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { NestedObject } from '../../common/validation/nested.decorator';
import { OptionalField } from '../../common/validation/null-as-absent.decorator';
import { TOOL_NAME } from './message-content.rules';

@ApiSchema({ name: 'FunctionDefinition' })
export class FunctionDefinitionDto {
  @ApiProperty({ pattern: TOOL_NAME.source, example: 'get_weather' })
  @IsString()
  @Matches(TOOL_NAME)
  name!: string;

  @ApiPropertyOptional({ maxLength: 8192, example: 'Current weather for a city.' })
  @OptionalField()
  @IsString()
  @MaxLength(8192)
  description?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema of the arguments.',
    example: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  })
  @OptionalField()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional() @OptionalField() @IsBoolean() strict?: boolean;
}

@ApiSchema({ name: 'Tool', description: 'An OpenAI function tool.' })
export class ToolDto {
  @ApiProperty({ enum: ['function'] }) @IsIn(['function']) type!: 'function';

  @ApiProperty({ type: () => FunctionDefinitionDto })
  @NestedObject(() => FunctionDefinitionDto)
  function!: FunctionDefinitionDto;
}

@ApiSchema({ name: 'StreamOptions' })
export class StreamOptionsDto {
  @ApiPropertyOptional({
    description: 'Send a final chunk with `usage` (and no choices) before `data: [DONE]`.',
  })
  @OptionalField()
  @IsBoolean()
  include_usage?: boolean;
}

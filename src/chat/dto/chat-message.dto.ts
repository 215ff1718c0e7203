import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Satisfies } from '../../common/validation/satisfies.decorator';
import { ImagePartSchema } from '../../docs/schemas/image-part.schema';
import { TextPartSchema } from '../../docs/schemas/text-part.schema';
import type { ChatRole, ContentPart } from '../../providers/llm-types';
import { contentProblem, TOOL_NAME } from './message-content.rules';

@ApiSchema({ name: 'ToolCallFunction' })
export class ToolCallFunctionDto {
  @ApiProperty({ example: 'get_weather' }) @IsString() @Matches(TOOL_NAME) name!: string;

  @ApiProperty({ description: 'The arguments as a JSON string.', example: '{"city":"Paris"}' })
  @IsString()
  arguments!: string;
}

@ApiSchema({ name: 'ToolCall' })
export class ToolCallDto {
  @ApiProperty({ minLength: 1, maxLength: 256, example: 'call_abc123' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  id!: string;

  @ApiProperty({ enum: ['function'] }) @IsIn(['function']) type!: 'function';

  @ApiProperty({ type: () => ToolCallFunctionDto })
  @ValidateNested()
  @Type(() => ToolCallFunctionDto)
  function!: ToolCallFunctionDto;
}

@ApiSchema({ name: 'ChatMessage' })
@ApiExtraModels(TextPartSchema, ImagePartSchema)
export class ChatMessageDto {
  @ApiProperty({ enum: ['system', 'user', 'assistant', 'tool'], example: 'user' })
  @IsIn(['system', 'user', 'assistant', 'tool'])
  role!: ChatRole;

  @ApiProperty({
    oneOf: [
      { type: 'string' },
      {
        type: 'array',
        minItems: 1,
        items: {
          oneOf: [
            { $ref: getSchemaPath(TextPartSchema) },
            { $ref: getSchemaPath(ImagePartSchema) },
          ],
        },
      },
    ],
    nullable: true,
    description:
      'A string, a non-empty array of text/image parts, or null on an assistant turn that ' +
      'carries `tool_calls`.',
    example: 'Hello!',
  })
  @Satisfies('messageContent', contentProblem)
  content!: string | ContentPart[] | null;

  @ApiPropertyOptional({ pattern: TOOL_NAME.source, description: 'An optional participant name.' })
  @IsOptional()
  @IsString()
  @Matches(TOOL_NAME)
  name?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 256,
    description: 'Required on a `tool` message: the id of the tool call it answers.',
  })
  @ValidateIf((m: ChatMessageDto) => m.role === 'tool' || m.tool_call_id !== undefined)
  @IsString({ message: 'tool_call_id must be a string (required on a tool message)' })
  @MinLength(1)
  @MaxLength(256)
  tool_call_id?: string;

  @ApiPropertyOptional({
    type: () => ToolCallDto,
    isArray: true,
    minItems: 1,
    description: 'Only on an `assistant` message.',
  })
  @IsOptional()
  @Satisfies('toolCallsOnAssistant', (_, m) =>
    m.role === 'assistant' ? null : 'is allowed only on an assistant message',
  )
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ToolCallDto)
  tool_calls?: ToolCallDto[];
}

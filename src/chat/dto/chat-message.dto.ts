import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { NullAsAbsent, OptionalField } from '../../common/validation/null-as-absent.decorator';
import { NestedObject, NestedObjects } from '../../common/validation/nested.decorator';
import { Satisfies } from '../../common/validation/satisfies.decorator';
import { ImagePartSchema } from '../../docs/schemas/image-part.schema';
import { TextPartSchema } from '../../docs/schemas/text-part.schema';
import type { ChatRole, ContentPart } from '../../providers/llm-types';
import { assistantOnly, contentProblem, dropNullDetails, TOOL_NAME } from './message-content.rules';

export const CHAT_ROLES: readonly ChatRole[] = [
  'system',
  'developer',
  'user',
  'assistant',
  'tool',
  'function',
];

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
  @NestedObject(() => ToolCallFunctionDto)
  function!: ToolCallFunctionDto;
}

@ApiSchema({ name: 'AssistantAudioReference' })
export class AssistantAudioDto {
  @ApiProperty({ description: 'The id of an earlier audio answer.', example: 'audio_abc123' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  id!: string;
}

@ApiSchema({ name: 'ChatMessage' })
@ApiExtraModels(TextPartSchema, ImagePartSchema)
export class ChatMessageDto {
  @ApiProperty({ enum: CHAT_ROLES, example: 'user' })
  @IsIn(CHAT_ROLES)
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
      'A string or a non-empty array of parts (text for every role, images only on `user`); a ' +
      'string on `function`. Null or omitted only on an assistant turn that carries ' +
      '`tool_calls`, `function_call`, `refusal` or `audio`.',
    example: 'Hello!',
  })
  @Transform(({ value }: { value: unknown }) => dropNullDetails(value))
  @Satisfies('messageContent', contentProblem)
  content!: string | ContentPart[] | null;

  @ApiPropertyOptional({
    pattern: TOOL_NAME.source,
    description: 'An optional participant name; required on a `function` message.',
  })
  @NullAsAbsent()
  @ValidateIf((m: ChatMessageDto) => m.role === 'function' || m.name !== undefined)
  @IsString({ message: 'name must be a string (required on a function message)' })
  @Matches(TOOL_NAME)
  name?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 256,
    description: 'Required on a `tool` message: the id of the tool call it answers.',
  })
  @NullAsAbsent()
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
  @OptionalField()
  @Satisfies('toolCallsOnAssistant', assistantOnly)
  @NestedObjects(() => ToolCallDto)
  @ArrayMinSize(1)
  tool_calls?: ToolCallDto[];

  @ApiPropertyOptional({ description: 'Only on an `assistant` message: a refusal it gave.' })
  @OptionalField()
  @Satisfies('refusalOnAssistant', assistantOnly)
  @IsString()
  refusal?: string;

  @ApiPropertyOptional({
    type: () => AssistantAudioDto,
    description: 'Only on an `assistant` message: an earlier audio answer.',
  })
  @OptionalField()
  @Satisfies('audioOnAssistant', assistantOnly)
  @NestedObject(() => AssistantAudioDto)
  audio?: AssistantAudioDto;

  @ApiPropertyOptional({
    type: () => ToolCallFunctionDto,
    description: 'Only on an `assistant` message: a call of the legacy function-calling API.',
  })
  @OptionalField()
  @Satisfies('functionCallOnAssistant', assistantOnly)
  @NestedObject(() => ToolCallFunctionDto)
  function_call?: ToolCallFunctionDto;
}

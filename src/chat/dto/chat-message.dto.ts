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
import type { ChatRole, ContentPart } from '../../providers/llm-types';
import { contentProblem, TOOL_NAME } from './message-content.rules';

export class ToolCallFunctionDto {
  @IsString() @Matches(TOOL_NAME) name!: string;
  @IsString() arguments!: string;
}

export class ToolCallDto {
  @IsString() @MinLength(1) @MaxLength(256) id!: string;
  @IsIn(['function']) type!: 'function';
  @ValidateNested() @Type(() => ToolCallFunctionDto) function!: ToolCallFunctionDto;
}

export class ChatMessageDto {
  @IsIn(['system', 'user', 'assistant', 'tool']) role!: ChatRole;

  @Satisfies('messageContent', contentProblem) content!: string | ContentPart[] | null;

  @IsOptional() @IsString() @Matches(TOOL_NAME) name?: string;

  @ValidateIf((m: ChatMessageDto) => m.role === 'tool' || m.tool_call_id !== undefined)
  @IsString({ message: 'tool_call_id must be a string (required on a tool message)' })
  @MinLength(1)
  @MaxLength(256)
  tool_call_id?: string;

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

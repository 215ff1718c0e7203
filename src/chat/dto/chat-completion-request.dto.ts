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

export class FunctionDefinitionDto {
  @IsString() @Matches(TOOL_NAME) name!: string;
  @IsOptional() @IsString() @MaxLength(8192) description?: string;
  @IsOptional() @IsObject() parameters?: Record<string, unknown>;
  @IsOptional() @IsBoolean() strict?: boolean;
}

export class ToolDto {
  @IsIn(['function']) type!: 'function';
  @ValidateNested() @Type(() => FunctionDefinitionDto) function!: FunctionDefinitionDto;
}

export class StreamOptionsDto {
  @IsOptional() @IsBoolean() include_usage?: boolean;
}

/**
 * `POST /native/v1/chat/completions` (SPEC §4). Unknown fields at any DTO level are rejected
 * by the global ValidationPipe; `conversation_id` never travels upstream.
 */
export class ChatCompletionRequestDto {
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,256}$/, {
    message: 'model must be 1..256 printable characters without spaces',
  })
  model?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ChatMessageDto)
  messages!: ChatMessageDto[];

  @IsOptional()
  @Matches(CONVERSATION_ID, {
    message: 'conversation_id must be 1..256 printable ASCII characters without whitespace',
  })
  conversation_id?: string;

  @IsOptional() @IsBoolean() stream?: boolean;

  /** OpenAI's streaming option: send a final usage chunk. */
  @IsOptional() @ValidateNested() @Type(() => StreamOptionsDto) stream_options?: StreamOptionsDto;

  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(2) temperature?: number;
  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(1) top_p?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10_000_000) max_tokens?: number;
  @IsOptional() @Satisfies('stop', stopProblem) stop?: string | string[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ToolDto)
  tools?: ToolDto[];

  @IsOptional() @Satisfies('toolChoice', toolChoiceProblem) tool_choice?: ToolChoice;
}

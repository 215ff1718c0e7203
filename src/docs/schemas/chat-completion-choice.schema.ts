import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AssistantMessageSchema } from './assistant-message.schema';

export const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter'];

/** Documentation only: one choice of a `chat.completion`. */
@ApiSchema({ name: 'ChatCompletionChoice' })
export class ChatCompletionChoiceSchema {
  @ApiProperty({ type: 'integer', example: 0 }) index!: number;
  @ApiProperty({ type: () => AssistantMessageSchema }) message!: AssistantMessageSchema;

  @ApiProperty({ type: 'string', enum: FINISH_REASONS, nullable: true, example: 'stop' })
  finish_reason!: string | null;
}

import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ToolCallDto } from '../../chat/dto/chat-message.dto';

/** Documentation only: the message of a `chat.completion` choice. */
@ApiSchema({ name: 'AssistantMessage' })
export class AssistantMessageSchema {
  @ApiProperty({ enum: ['assistant'] }) role!: 'assistant';

  @ApiProperty({ type: 'string', nullable: true, example: 'Hello! How can I help?' })
  content!: string | null;

  @ApiPropertyOptional({ type: () => ToolCallDto, isArray: true })
  tool_calls?: ToolCallDto[];
}

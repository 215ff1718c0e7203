import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ToolCallDeltaSchema } from './tool-call-delta.schema';

/** Documentation only: what one stream chunk adds to the message. */
@ApiSchema({ name: 'ChunkDelta', description: 'What this chunk adds to the message.' })
export class ChunkDeltaSchema {
  @ApiPropertyOptional({ enum: ['assistant'], description: 'On the first chunk only.' })
  role?: 'assistant';

  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'Hello' })
  content?: string | null;

  @ApiPropertyOptional({ type: () => ToolCallDeltaSchema, isArray: true })
  tool_calls?: ToolCallDeltaSchema[];
}

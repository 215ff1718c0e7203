import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { FINISH_REASONS } from './chat-completion-choice.schema';
import { ChunkDeltaSchema } from './chunk-delta.schema';

/** Documentation only: one choice of a stream chunk. */
@ApiSchema({ name: 'ChunkChoice' })
export class ChunkChoiceSchema {
  @ApiProperty({ type: 'integer', example: 0 }) index!: number;
  @ApiProperty({ type: () => ChunkDeltaSchema }) delta!: ChunkDeltaSchema;

  @ApiProperty({
    type: 'string',
    enum: FINISH_REASONS,
    nullable: true,
    description: 'Set on the last content chunk.',
    example: null,
  })
  finish_reason!: string | null;
}

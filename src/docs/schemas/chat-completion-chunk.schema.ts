import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ChunkChoiceSchema } from './chunk-choice.schema';
import { UsageSchema } from './usage.schema';

/** Documentation only: one `data:` event of a stream (`ChatCompletionChunkBody`). */
@ApiSchema({
  name: 'ChatCompletionChunk',
  description:
    'One `data:` event of a streamed answer. The stream ends with `data: [DONE]`, or with ' +
    '`data: {"error":{…}}` (an ErrorEnvelope) when the provider fails after it started.',
})
export class ChatCompletionChunkSchema {
  @ApiProperty({ example: 'chatcmpl-9x2Lr8Qm' }) id!: string;
  @ApiProperty({ enum: ['chat.completion.chunk'] }) object!: 'chat.completion.chunk';
  @ApiProperty({ type: 'integer', example: 1735689600 }) created!: number;
  @ApiProperty({ example: 'gpt-4o-mini' }) model!: string;

  @ApiProperty({
    type: () => ChunkChoiceSchema,
    isArray: true,
    description: 'Empty on the final usage chunk.',
  })
  choices!: ChunkChoiceSchema[];

  @ApiPropertyOptional({
    type: () => UsageSchema,
    description: 'Only on the final chunk, and only with `stream_options.include_usage`.',
  })
  usage?: UsageSchema;
}

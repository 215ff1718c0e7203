import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation only: `GET /native/v1/sessions/:conversation_id` (SessionResponse). */
@ApiSchema({ name: 'Session', description: "A conversation's binding, as its owner sees it." })
export class SessionViewSchema {
  @ApiProperty({ example: 'support-ticket-4711' }) conversation_id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ description: "The provider's model name.", example: 'gpt-4o-mini' })
  model!: string;
  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1735689600 })
  created_at!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Seconds until it expires without further requests (each request resets it).',
    example: 86313,
  })
  expires_in!: number;
}
